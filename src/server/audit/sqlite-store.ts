// The audit log in its own SQLite file (audit.sqlite in the data directory). Append-only even
// against a bug: triggers refuse every UPDATE and DELETE, and any INSERT that is not the next link
// of the chain. Each append is committed with a full sync before it returns (survives kill -9 and
// power loss); readers such as `imverse audit verify` open the file read-only beside the platform.
import Database from 'better-sqlite3';
import {
  chainNext,
  EMPTY_HEAD,
  GENESIS_HASH,
  type AuditEntry,
  type AuditRecord,
  type AuditResult,
  type ChainHead,
} from './chain.js';

/** The log's file in the data directory. */
export const AUDIT_FILE = 'audit.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  credential TEXT,
  action TEXT NOT NULL,
  target TEXT,
  source TEXT,
  result TEXT NOT NULL,
  code TEXT,
  repeat INTEGER NOT NULL,
  prev TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_by_time ON audit_log (time);
CREATE INDEX IF NOT EXISTS audit_log_by_actor ON audit_log (actor, seq);
CREATE INDEX IF NOT EXISTS audit_log_by_action ON audit_log (action, seq);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: a record is never updated'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: a record is never deleted'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_append_at_head BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)
  OR NEW.prev IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '${GENESIS_HASH}')
BEGIN SELECT RAISE(ABORT, 'an audit record is appended only as the next link of the chain'); END;
`;

export interface AuditQuery {
  /** ISO 8601 UTC, inclusive. */
  readonly since?: string;
  /** ISO 8601 UTC, exclusive. */
  readonly until?: string;
  readonly actor?: string;
  readonly action?: string;
  readonly result?: AuditResult;
  /** Only records older than this sequence number (the cursor of the next page). */
  readonly before?: number;
  readonly limit: number;
}

interface Row {
  seq: number;
  time: string;
  actor: string;
  credential: string | null;
  action: string;
  target: string | null;
  source: string | null;
  result: AuditResult;
  code: string | null;
  repeat: number;
  prev: string;
  hash: string;
}

export class SqliteAuditStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement | undefined;
  #head: ChainHead;

  /** Opens (creating it unless `readonly`) the log in `file`; `:memory:` for a log of one process. */
  constructor(file: string, { readonly = false }: { readonly?: boolean } = {}) {
    this.#db = readonly ? new Database(file, { readonly: true, fileMustExist: true }) : new Database(file);
    if (!readonly) {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = FULL');
      this.#db.exec(SCHEMA);
      this.#insert = this.#db.prepare(
        `INSERT INTO audit_log (seq, time, actor, credential, action, target, source, result, code, repeat, prev, hash)
         VALUES (@seq, @time, @actor, @credential, @action, @target, @source, @result, @code, @repeat, @prev, @hash)`,
      );
    }
    this.#head = this.readHead();
  }

  /** The newest record's sequence number and hash: what a ledger anchors. */
  get head(): ChainHead {
    return this.#head;
  }

  /** Appends one record, durably, and returns it. */
  append(entry: AuditEntry): AuditRecord {
    if (this.#insert === undefined) throw new Error('the audit log was opened read-only');
    const record = chainNext(this.#head, entry);
    try {
      this.#insert.run(toRow(record));
    } catch (error) {
      // Another writer moved the head (it should not happen: one platform per data directory).
      this.#head = this.readHead();
      throw error;
    }
    this.#head = { seq: record.seq, hash: record.hash };
    return record;
  }

  /** Newest first. */
  list(query: AuditQuery): AuditRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [condition, value] of [
      ['time >= ?', query.since],
      ['time < ?', query.until],
      ['actor = ?', query.actor],
      ['action = ?', query.action],
      ['result = ?', query.result],
      ['seq < ?', query.before],
    ] as const) {
      if (value === undefined) continue;
      where.push(condition);
      params.push(value);
    }
    const sql = `SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...params, query.limit) as Row[]).map(fromRow);
  }

  /** Every record, oldest first, read in one snapshot while the platform may go on appending. */
  records(): IterableIterator<AuditRecord> {
    const rows = this.#db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<Row>;
    return (function* () {
      for (const row of rows) yield fromRow(row);
    })();
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  private readHead(): ChainHead {
    const row = this.#db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      ChainHead | undefined;
    return row ?? EMPTY_HEAD;
  }
}

function toRow(record: AuditRecord): Row {
  return {
    seq: record.seq,
    time: record.time,
    actor: record.actor,
    credential: record.credential ?? null,
    action: record.action,
    target: record.target ?? null,
    source: record.source ?? null,
    result: record.result,
    code: record.code ?? null,
    repeat: record.repeat,
    prev: record.prev,
    hash: record.hash,
  };
}

function fromRow(row: Row): AuditRecord {
  return {
    seq: row.seq,
    time: row.time,
    actor: row.actor,
    ...(row.credential === null ? {} : { credential: row.credential }),
    action: row.action,
    ...(row.target === null ? {} : { target: row.target }),
    ...(row.source === null ? {} : { source: row.source }),
    result: row.result,
    ...(row.code === null ? {} : { code: row.code }),
    repeat: row.repeat,
    prev: row.prev,
    hash: row.hash,
  };
}
