// Studies and their results in their own SQLite file (studies.sqlite in the data directory), each
// kept under the tenant scope of the token that submitted it.
import Database from 'better-sqlite3';
import type { StudyDefinition, StudyResult } from '../../sim/study/index.js';
import type { StudyProgress } from './run-study.js';

export type StudyStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface StudyError {
  readonly code: string;
  readonly message: string;
  readonly issues?: readonly unknown[];
}

export interface StudySummary {
  readonly id: string;
  readonly name: string;
  readonly status: StudyStatus;
  readonly created: string;
  readonly updated: string;
  readonly plant: string;
  readonly progress: StudyProgress | null;
  readonly error?: StudyError;
}

export interface StudyRecord extends StudySummary {
  readonly definition: StudyDefinition;
  readonly result?: StudyResult;
}

interface Row {
  id: string;
  name: string;
  status: StudyStatus;
  created: string;
  updated: string;
  plant: string;
  definition: string;
  progress: string | null;
  result: string | null;
  error: string | null;
}

/**
 * Whose studies a query may touch: a scope key (src/server/collab/CollabHub.ts `scopeKey`) or
 * `all` for a caller limited to no prefixes.
 */
export type StudyScope = string | { readonly all: true };

export const ALL_SCOPES: StudyScope = { all: true };

export class SqliteStudyStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS studies (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,
      plant TEXT NOT NULL, definition TEXT NOT NULL, progress TEXT, result TEXT, error TEXT)`);
    // Files from before tenant scopes: their studies belong to the unrestricted scope ('*'), so
    // only callers limited to no prefixes see them.
    const columns = this.db.prepare('PRAGMA table_info(studies)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'scope')) {
      this.db.exec("ALTER TABLE studies ADD COLUMN scope TEXT NOT NULL DEFAULT '*'");
    }
    this.db.exec('CREATE INDEX IF NOT EXISTS studies_by_created ON studies(created DESC, id DESC)');
    this.db.exec('CREATE INDEX IF NOT EXISTS studies_by_scope ON studies(scope, created DESC, id DESC)');
  }

  /** A run does not survive its process: studies left queued or running by the last one failed. */
  failInterrupted(): number {
    const error: StudyError = {
      code: 'IMV_STUDY_RUN_FAILED',
      message: 'The platform stopped while the study was running; start it again',
    };
    return this.db
      .prepare(
        "UPDATE studies SET status = 'failed', error = ?, updated = ? WHERE status IN ('queued', 'running')",
      )
      .run(JSON.stringify(error), new Date().toISOString()).changes;
  }

  insert(id: string, definition: StudyDefinition, plant: string, scope: string): StudyRecord {
    const now = new Date().toISOString();
    this.db
      .prepare(
        "INSERT INTO studies (id, name, status, created, updated, plant, definition, scope) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)",
      )
      .run(id, definition.name, now, now, plant, JSON.stringify(definition), scope);
    return this.get(id)!;
  }

  setProgress(id: string, status: StudyStatus, progress: StudyProgress): void {
    this.db
      .prepare('UPDATE studies SET status = ?, progress = ?, updated = ? WHERE id = ?')
      .run(status, JSON.stringify(progress), new Date().toISOString(), id);
  }

  finish(
    id: string,
    outcome: { status: 'done'; result: StudyResult } | { status: 'failed' | 'cancelled'; error: StudyError },
  ): void {
    this.db
      .prepare('UPDATE studies SET status = ?, result = ?, error = ?, updated = ? WHERE id = ?')
      .run(
        outcome.status,
        outcome.status === 'done' ? JSON.stringify(outcome.result) : null,
        outcome.status === 'done' ? null : JSON.stringify(outcome.error),
        new Date().toISOString(),
        id,
      );
  }

  /** The study if it is in `scope`; a study of another scope is as absent as one that never was. */
  get(id: string, scope: StudyScope = ALL_SCOPES): StudyRecord | undefined {
    const [where, params] = scopeFilter(scope);
    const row = this.db
      .prepare(`SELECT * FROM studies WHERE id = ? ${where ? `AND ${where}` : ''}`)
      .get(id, ...params) as Row | undefined;
    if (row === undefined) return undefined;
    return {
      ...summary(row),
      definition: JSON.parse(row.definition) as StudyDefinition,
      ...(row.result === null ? {} : { result: JSON.parse(row.result) as StudyResult }),
    };
  }

  /** Newest first. */
  list(limit: number, scope: StudyScope = ALL_SCOPES): StudySummary[] {
    const [where, params] = scopeFilter(scope);
    const rows = this.db
      .prepare(
        `SELECT id, name, status, created, updated, plant, progress, error FROM studies ${where ? `WHERE ${where}` : ''} ` +
          'ORDER BY created DESC, id DESC LIMIT ?',
      )
      .all(...params, limit) as Row[];
    return rows.map(summary);
  }

  /** How many studies a scope keeps, finished or not. */
  count(scope: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM studies WHERE scope = ?').get(scope) as { n: number })
      .n;
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM studies WHERE id = ?').run(id).changes > 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function scopeFilter(scope: StudyScope): [string, string[]] {
  return typeof scope === 'string' ? ['scope = ?', [scope]] : ['', []];
}

function summary(row: Row): StudySummary {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    created: row.created,
    updated: row.updated,
    plant: row.plant,
    progress: row.progress === null ? null : (JSON.parse(row.progress) as StudyProgress),
    ...(row.error === null ? {} : { error: JSON.parse(row.error) as StudyError }),
  };
}
