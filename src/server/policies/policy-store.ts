// Stored policies: one row per policy, its document as JSON and a revision that counts its changes.
import Database from 'better-sqlite3';
import type { Policy } from '../../access/policy.js';

export interface StoredPolicy {
  readonly policy: Policy;
  readonly revision: number;
  readonly updated: string;
  readonly updatedBy: string;
}

export class PolicyStore {
  readonly #db: Database.Database;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS policies (
      id TEXT PRIMARY KEY, doc TEXT NOT NULL, revision INTEGER NOT NULL, updated TEXT NOT NULL,
      updated_by TEXT NOT NULL)`);
  }

  all(): StoredPolicy[] {
    const rows = this.#db
      .prepare('SELECT doc, revision, updated, updated_by FROM policies ORDER BY id')
      .all() as Row[];
    return rows.map(toStored);
  }

  get(id: string): StoredPolicy | undefined {
    const row = this.#db
      .prepare('SELECT doc, revision, updated, updated_by FROM policies WHERE id = ?')
      .get(id) as Row | undefined;
    return row === undefined ? undefined : toStored(row);
  }

  count(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM policies').get() as { n: number }).n;
  }

  /** Creates or replaces; the revision goes up by one. */
  put(policy: Policy, by: string): StoredPolicy {
    const updated = new Date().toISOString();
    const row = this.#db
      .prepare(
        `INSERT INTO policies (id, doc, revision, updated, updated_by) VALUES (?, ?, 1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, revision = revision + 1,
           updated = excluded.updated, updated_by = excluded.updated_by
         RETURNING doc, revision, updated, updated_by`,
      )
      .get(policy.id, JSON.stringify(policy), updated, by) as Row;
    return toStored(row);
  }

  /** Whether there was such a policy. */
  delete(id: string): boolean {
    return this.#db.prepare('DELETE FROM policies WHERE id = ?').run(id).changes > 0;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

interface Row {
  doc: string;
  revision: number;
  updated: string;
  updated_by: string;
}

function toStored(row: Row): StoredPolicy {
  return {
    policy: JSON.parse(row.doc) as Policy,
    revision: row.revision,
    updated: row.updated,
    updatedBy: row.updated_by,
  };
}
