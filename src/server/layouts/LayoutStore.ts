// Named layout versions in SQLite (layouts.sqlite in the data directory): immutable once saved, one
// namespace per tenant scope so a tenant neither sees nor collides with another's versions, and a
// bounded number of them per scope.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { LayoutVersion, LayoutVersionSummary, VersionObject } from '../../core/wire-layout.js';

interface Row {
  id: string;
  name: string;
  draft: string;
  created_by: string;
  created_at: string;
  changes: number;
  objects: string;
}

export interface NewVersion {
  readonly name: string;
  readonly draft: string;
  readonly createdBy: string;
  readonly objects: readonly VersionObject[];
}

export class LayoutStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS layout_versions (
      scope TEXT NOT NULL,
      id TEXT NOT NULL,
      name TEXT NOT NULL,
      draft TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      changes INTEGER NOT NULL,
      objects TEXT NOT NULL,
      PRIMARY KEY (scope, id),
      UNIQUE (scope, name)
    );`);
  }

  /** How many versions the scope keeps. */
  count(scope: string): number {
    return this.db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM layout_versions WHERE scope = ?')
      .get(scope)!.n;
  }

  /** Throws IMV_LAYOUT_VERSIONS_FULL when the scope already keeps `max` versions. */
  checkRoom(scope: string, max: number): void {
    const kept = this.count(scope);
    if (kept >= max) {
      throw new ConflictError(
        'IMV_LAYOUT_VERSIONS_FULL',
        `${kept} layout versions are kept, the most allowed (layoutMaxVersions ${max}); delete some first`,
      );
    }
  }

  /** Saves a version, if the scope keeps fewer than `max` (checked in the same transaction as the insert). */
  save(scope: string, version: NewVersion, max = Infinity): LayoutVersion {
    const saved: LayoutVersion = {
      id: randomUUID(),
      name: version.name,
      draft: version.draft,
      createdBy: version.createdBy,
      createdAt: new Date().toISOString(),
      changes: version.objects.length,
      objects: version.objects,
    };
    const insert = this.db.transaction(() => {
      this.checkRoom(scope, max);
      this.db
        .prepare(
          `INSERT INTO layout_versions (scope, id, name, draft, created_by, created_at, changes, objects)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          scope,
          saved.id,
          saved.name,
          saved.draft,
          saved.createdBy,
          saved.createdAt,
          saved.changes,
          JSON.stringify(saved.objects),
        );
    });
    try {
      insert();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new ConflictError(
          'IMV_LAYOUT_VERSION_EXISTS',
          `A layout version named "${version.name}" exists`,
          {
            path: '/name',
            cause: error,
          },
        );
      }
      throw error;
    }
    return saved;
  }

  /** Newest first. */
  list(scope: string): LayoutVersionSummary[] {
    return this.db
      .prepare<[string], Omit<Row, 'objects'>>(
        `SELECT id, name, draft, created_by, created_at, changes FROM layout_versions
         WHERE scope = ? ORDER BY created_at DESC, rowid DESC`,
      )
      .all(scope)
      .map(summary);
  }

  get(scope: string, id: string): LayoutVersion {
    const row = this.db
      .prepare<[string, string], Row>('SELECT * FROM layout_versions WHERE scope = ? AND id = ?')
      .get(scope, id);
    if (!row) throw new NotFoundError('IMV_LAYOUT_VERSION_NOT_FOUND', `Layout version ${id} not found`);
    return { ...summary(row), objects: JSON.parse(row.objects) as VersionObject[] };
  }

  /** Deletes a version of the scope; another scope's is "not found", like one that never existed. */
  delete(scope: string, id: string): void {
    const { changes } = this.db
      .prepare('DELETE FROM layout_versions WHERE scope = ? AND id = ?')
      .run(scope, id);
    if (changes === 0) {
      throw new NotFoundError('IMV_LAYOUT_VERSION_NOT_FOUND', `Layout version ${id} not found`);
    }
  }

  close(): void {
    this.db.close();
  }
}

function summary(row: Omit<Row, 'objects'>): LayoutVersionSummary {
  return {
    id: row.id,
    name: row.name,
    draft: row.draft,
    createdBy: row.created_by,
    createdAt: row.created_at,
    changes: row.changes,
  };
}
