// Dead letters in their own SQLite file, capped so a flood of bad messages cannot fill the disk.
import Database from 'better-sqlite3';
import { identifierProblem, prefixOf } from '../core/id.js';
import {
  MAX_DEAD_LETTER_PAYLOAD,
  type DeadLetter,
  type DeadLetterQuery,
  type DeadLetterStore,
  type NewDeadLetter,
} from './dead-letters.js';

export class SqliteDeadLetterStore implements DeadLetterStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private added = 0;

  constructor(
    file: string,
    private readonly capacity = 100_000,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS dead_letters (
      id INTEGER PRIMARY KEY, time TEXT NOT NULL, source TEXT NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL,
      topic TEXT, payload TEXT NOT NULL, encoding TEXT NOT NULL)`);
    // Files from before tenants: their letters have no twin, so only unrestricted callers see them.
    const columns = this.db.prepare('PRAGMA table_info(dead_letters)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'tenant')) {
      this.db.exec('ALTER TABLE dead_letters ADD COLUMN twin TEXT');
      this.db.exec('ALTER TABLE dead_letters ADD COLUMN tenant TEXT');
    }
    this.db.exec('CREATE INDEX IF NOT EXISTS dead_letters_by_code ON dead_letters(code, id)');
    this.db.exec('CREATE INDEX IF NOT EXISTS dead_letters_by_tenant ON dead_letters(tenant, id)');
    this.insert = this.db.prepare(
      'INSERT INTO dead_letters (time, source, code, reason, topic, twin, tenant, payload, encoding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  add(letters: readonly NewDeadLetter[]): void {
    if (letters.length === 0) return;
    const time = new Date().toISOString();
    this.db.transaction(() => {
      for (const letter of letters) {
        const [payload, encoding] = encode(letter.payload);
        this.insert.run(
          time,
          letter.source,
          letter.code,
          letter.reason,
          letter.topic ?? null,
          letter.twin ?? null,
          tenantOf(letter.twin),
          payload,
          encoding,
        );
      }
      this.added += letters.length;
      // Trim now and then rather than on every insert.
      if (this.added >= this.capacity / 10) {
        this.added = 0;
        this.db
          .prepare('DELETE FROM dead_letters WHERE id <= (SELECT max(id) FROM dead_letters) - ?')
          .run(this.capacity);
      }
    })();
  }

  list(query: DeadLetterQuery): DeadLetter[] {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['source = ?', query.source],
      ['code = ?', query.code],
      ['id < ?', query.before],
    ] as const) {
      if (value === undefined) continue;
      where.push(column);
      params.push(value);
    }
    if (query.prefixes !== undefined) {
      // The tenant filter is part of the query, so a page holds `limit` letters the caller may see.
      const prefixes = [...new Set(query.prefixes.map((p) => p.toUpperCase()))];
      where.push(prefixes.length === 0 ? '0' : `tenant IN (${prefixes.map(() => '?').join(', ')})`);
      params.push(...prefixes);
    }
    const sql = `SELECT * FROM dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, query.limit) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      id: row.id as number,
      time: row.time as string,
      source: row.source as string,
      code: row.code as string,
      reason: row.reason as string,
      ...(row.topic === null ? {} : { topic: row.topic as string }),
      ...(row.twin === null ? {} : { twin: row.twin as string }),
      payload: row.payload as string,
      encoding: row.encoding as 'utf8' | 'base64',
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The identifier prefix (tenant) of a letter's twin; none for a missing or malformed identifier. */
function tenantOf(twin: string | undefined): string | null {
  return twin === undefined || identifierProblem(twin) !== undefined ? null : prefixOf(twin);
}

function encode(payload: string | Uint8Array): [string, 'utf8' | 'base64'] {
  if (typeof payload === 'string') return [payload.slice(0, MAX_DEAD_LETTER_PAYLOAD), 'utf8'];
  const bytes = payload.subarray(0, MAX_DEAD_LETTER_PAYLOAD);
  const text = Buffer.from(bytes).toString('utf8');
  // Keep readable text as text; anything that does not survive UTF-8 goes in base64.
  return Buffer.from(text, 'utf8').equals(bytes)
    ? [text, 'utf8']
    : [Buffer.from(bytes).toString('base64'), 'base64'];
}
