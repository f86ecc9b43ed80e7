// The SQLite schema of the history store. Every (series, time) lives in at most one of `chunks`
// and `plain`; what was appended since a series' last compaction is in the `recent` log (and in
// memory, head.ts) and overrides both.
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
-- Every appended sample, uncompressed, in append order: the write-ahead log of the history.
-- Appending at the end touches a few pages per batch however many series it holds (a table keyed
-- by series would touch a page per series). Its prefix is deleted once every series has compacted
-- it. The value column has no type so numbers, text and -0 keep their type; flags: sample-row.ts.
CREATE TABLE IF NOT EXISTS recent (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so flushed_seq stays meaningful
  series INTEGER NOT NULL,
  time INTEGER NOT NULL,
  value,
  flags INTEGER NOT NULL
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
-- The newest sample of each series, kept on append so latest() of many series is one lookup each.
CREATE TABLE IF NOT EXISTS latest (
  series INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  value,
  flags INTEGER NOT NULL
);
`;
