// Test helper: a SQLite database with the store's schema, seeded with twins and relationships.
// The tests pass in the better-sqlite3 database, so that this module imports no adapter library.
import { compileQuery, parseQuery, type QueryContext } from './index.js';
import { TWIN_STORE_SCHEMA } from '../sqlite-schema.js';

export const DDL = TWIN_STORE_SCHEMA;

/** The twin_props rows of a document, by the store's contract: depth 3, no $ fields, no arrays, strings up to 256. */
export function propsOf(doc: Record<string, unknown>): Array<[string, string | number]> {
  const out: Array<[string, string | number]> = [];
  const walk = (object: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [key, value] of Object.entries(object)) {
      if (key.startsWith('$')) continue;
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (typeof value === 'string' && value.length <= 256) out.push([path, value]);
      else if (typeof value === 'number') out.push([path, value]);
      else if (typeof value === 'boolean') out.push([path, value ? 1 : 0]);
      else if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 3) {
        walk(value as Record<string, unknown>, path, depth + 1);
      }
    }
  };
  walk(doc, '', 1);
  return out;
}

export type TwinInput = { $dtId: string; $metadata: { $model: string }; [key: string]: unknown };

/** The part of a better-sqlite3 Database the helper uses. */
export interface SqliteDb {
  exec(sql: string): unknown;
  prepare(sql: string): {
    run(...params: unknown[]): { lastInsertRowid: number | bigint };
    all(...params: unknown[]): unknown[];
  };
}

export class TestDb {
  readonly twins: TwinInput[] = [];
  readonly relationships: Array<Record<string, unknown>> = [];
  private readonly pks = new Map<string, number>();

  constructor(readonly db: SqliteDb) {
    this.db.exec(DDL);
  }

  twin(id: string, model: string, props: Record<string, unknown> = {}): TwinInput {
    const doc: TwinInput = { $dtId: id, $etag: 'W/"1"', $metadata: { $model: model }, ...props } as TwinInput;
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO twins (id, model, version, doc) VALUES (?, ?, 1, ?)')
      .run(id, model, JSON.stringify(doc));
    const pk = Number(lastInsertRowid);
    this.pks.set(id, pk);
    const insert = this.db.prepare('INSERT OR IGNORE INTO twin_props (name, value, twin) VALUES (?, ?, ?)');
    for (const [name, value] of propsOf(doc)) insert.run(name, value, pk);
    this.twins.push(doc);
    return doc;
  }

  relate(
    source: string,
    name: string,
    target: string,
    props: Record<string, unknown> = {},
    id = `${source}-${name}-${target}`,
  ): void {
    const doc = {
      $relationshipId: id,
      $etag: 'W/"1"',
      $sourceId: source,
      $relationshipName: name,
      $targetId: target,
      ...props,
    };
    this.db
      .prepare('INSERT INTO relationships (source, id, name, target, version, doc) VALUES (?, ?, ?, ?, 1, ?)')
      .run(this.pks.get(source), id, name, this.pks.get(target), JSON.stringify(doc));
    this.relationships.push(doc);
  }

  /** Runs a query the way the store does, returning all items (or one page). */
  query(text: string, ctx: QueryContext = models, page = { offset: 0, limit: 1000 }): unknown[] {
    const compiled = compileQuery(parseQuery(text), ctx, page);
    const rows = this.db.prepare(compiled.sql).all(...compiled.params) as Array<Record<string, unknown>>;
    return rows.map((row) => compiled.toItem(row));
  }

  /** The query plan, one line per step. */
  plan(text: string, ctx: QueryContext = models): string[] {
    const compiled = compileQuery(parseQuery(text), ctx, { offset: 0, limit: 10 });
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`).all(...compiled.params) as Array<{
      detail: string;
    }>;
    return rows.map((r) => r.detail);
  }
}

/** A small model hierarchy: Space ← Room ← ConferenceRoom; Device ← Sensor. */
export const models: QueryContext = {
  descendantsOf(id: string) {
    const children: Record<string, string[]> = {
      'dtmi:test:Space;1': ['dtmi:test:Room;1', 'dtmi:test:ConferenceRoom;1'],
      'dtmi:test:Room;1': ['dtmi:test:ConferenceRoom;1'],
      'dtmi:test:Device;1': ['dtmi:test:Sensor;1'],
    };
    return [id, ...(children[id] ?? [])];
  },
};
