// The SQLite schema of the twin store. The query compiler (query/) writes SQL against it, so its
// tests create the same tables from here.
export const TWIN_STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS models (
  id TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  upload_time TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS twins (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS twins_by_model ON twins(model);
CREATE TABLE IF NOT EXISTS twin_props (
  name TEXT NOT NULL,
  value NOT NULL,
  twin INTEGER NOT NULL,
  PRIMARY KEY (name, value, twin)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS relationships (
  pk INTEGER PRIMARY KEY,
  source INTEGER NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  target INTEGER NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS rel_by_source_id ON relationships(source, id);
CREATE INDEX IF NOT EXISTS rel_by_source ON relationships(source, name, target);
CREATE INDEX IF NOT EXISTS rel_by_target ON relationships(target, name, source);
`;
