// The SQLite schema of the history store. Every (series, time) lives in at most one of `chunks`
// and `plain`; what was appended since a series' last compaction is in the `log` (and in memory,
// head.ts) and overrides both.
export const HISTORY_SCHEMA = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  twin TEXT NOT NULL,
  field TEXT NOT NULL,
  -- Log rows up to this sequence number are in chunks or plain: a reopen replays only later ones.
  flushed_seq INTEGER NOT NULL DEFAULT 0,
  UNIQUE (twin, field)
);
-- field '*': every field of the twin; a rule for the field itself wins.
CREATE TABLE IF NOT EXISTS retention (
  twin TEXT NOT NULL,
  field TEXT NOT NULL,
  ms REAL NOT NULL,
  PRIMARY KEY (twin, field)
) WITHOUT ROWID;
-- The write-ahead log of the history: every appended batch as one blob (log-batch.ts), in append
-- order. Row i of a batch has sequence number first_seq + i; a series' rows up to its flushed_seq
-- are compacted, so a reopen replays only later ones. Batches every series has compacted are
-- deleted, except the newest, which keeps the sequence numbers growing across restarts.
CREATE TABLE IF NOT EXISTS log (
  first_seq INTEGER PRIMARY KEY,
  count INTEGER NOT NULL,
  data BLOB NOT NULL
);
-- Compacted samples that are not good-quality numbers: strings, booleans, bad or uncertain values.
CREATE TABLE IF NOT EXISTS plain (
  series INTEGER NOT NULL,
  time INTEGER NOT NULL,
  value,
  flags INTEGER NOT NULL,
  PRIMARY KEY (series, time)
) WITHOUT ROWID;
-- Gorilla chunks (gorilla.ts) of good-quality numbers; a series' chunks never overlap, so ordering
-- them by end_time orders them by start_time too. Summaries let buckets skip decoding; they are
-- untyped so -0 stays -0 (NaN becomes NULL).
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY,
  series INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  count INTEGER NOT NULL,
  min,
  max,
  sum,
  last,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS chunks_by_end ON chunks (series, end_time);
`;
