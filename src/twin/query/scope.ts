// The collections a query names (FROM, JOIN targets, relationship aliases) and what a property path means in them.
import type { FromClause, PathRef } from './ast.js';
import { jsonPath, unsupported } from './sql.js';

import { MAX_INDEX_DEPTH, MAX_INDEXED_STRING } from '../doc.js';

/** The depth to which the store indexes object fields in twin_props. */
export const INDEXED_DEPTH = MAX_INDEX_DEPTH;
/** Strings longer than this are not in twin_props, so equality on them cannot use it. */
export { MAX_INDEXED_STRING };

export interface TwinCollection {
  readonly kind: 'twin';
  readonly name: string | undefined;
  /** The SQL table alias: t0, t1, … */
  readonly table: string;
}

export interface RelationshipCollection {
  readonly kind: 'relationship';
  readonly name: string | undefined;
  readonly table: string;
  /** Source and target twin collections, when the relationship comes from a JOIN. */
  readonly ends?: { readonly source: TwinCollection; readonly target: TwinCollection };
}

export type Collection = TwinCollection | RelationshipCollection;

/** What a property path denotes, once resolved. */
export type Value =
  /** A text column that is always defined: $dtId, $metadata.$model, $relationshipId, $relationshipName. */
  | { readonly kind: 'column'; readonly sql: string }
  /** $sourceId / $targetId of FROM RELATIONSHIPS: a twins.pk column, matched through twins.id. */
  | { readonly kind: 'twin-ref'; readonly pkColumn: string; readonly doc: DocValue }
  | DocValue;

export interface DocValue {
  readonly kind: 'doc';
  readonly doc: string;
  /** SQLite JSON path. */
  readonly path: string;
  /** The twin_props name when the path is indexed, for twins. */
  readonly indexedName?: string;
  /** The owning twin collection, when indexed. */
  readonly table: string;
}

const SYSTEM_NAMES = [
  '$dtId',
  '$etag',
  '$metadata',
  '$model',
  '$lastUpdateTime',
  '$relationshipId',
  '$relationshipName',
  '$sourceId',
  '$targetId',
];
const SYSTEM_BY_LOWER = new Map(SYSTEM_NAMES.map((n) => [n.toLowerCase(), n]));

/** System names are matched without regard to case ($dtid is $dtId); user property names are case-sensitive. */
export function canonical(segment: string): string {
  return segment.startsWith('$') ? (SYSTEM_BY_LOWER.get(segment.toLowerCase()) ?? segment) : segment;
}

export class Scope {
  readonly collections: Collection[] = [];
  /** The collection that bare property paths refer to: the only one, when there is no JOIN. */
  readonly root: Collection;

  constructor(
    readonly text: string,
    from: FromClause,
  ) {
    this.root =
      from.source === 'twins'
        ? { kind: 'twin', name: from.alias, table: 't0' }
        : { kind: 'relationship', name: from.alias, table: 'r0' };
    this.collections.push(this.root);
  }

  /** The SQL table aliases of the twin collections (FROM and every JOIN target). */
  twinTables(): string[] {
    return this.collections.filter((c) => c.kind === 'twin').map((c) => c.table);
  }

  get hasJoins(): boolean {
    return this.collections.length > 1;
  }

  byName(name: string): Collection | undefined {
    return this.collections.find((c) => c.name === name);
  }

  add(collection: Collection, offset: number): void {
    if (collection.name !== undefined && this.byName(collection.name) !== undefined) {
      throw unsupported(this.text, offset, `the collection name ${collection.name} is used twice`);
    }
    this.collections.push(collection);
  }

  /** Splits a path into its collection and the property path inside it. */
  resolve(path: PathRef): { collection: Collection; rest: string[] } {
    const [first, ...rest] = path.segments;
    const named = first === undefined ? undefined : this.byName(first);
    if (named !== undefined) return { collection: named, rest };
    if (this.hasJoins) {
      throw unsupported(
        this.text,
        path.offset,
        `${first} is not a collection of this query; with JOIN, start each property path with a collection name (${this.collections
          .flatMap((c) => (c.name === undefined ? [] : [c.name]))
          .join(', ')})`,
      );
    }
    return { collection: this.root, rest: [...path.segments] };
  }

  /** The value a property path denotes; the path must name a property, not a whole collection. */
  value(path: PathRef): Value {
    const { collection, rest } = this.resolve(path);
    if (rest.length === 0) {
      throw unsupported(
        this.text,
        path.offset,
        `${path.segments[0]} is a whole collection; name one of its properties, as in ${path.segments[0]}.$dtId`,
      );
    }
    return this.property(collection, rest.map(canonical), path.offset);
  }

  property(collection: Collection, rest: readonly string[], offset: number): Value {
    const key = rest.join('.');
    const t = collection.table;
    if (collection.kind === 'twin') {
      if (key === '$dtId') return { kind: 'column', sql: `${t}.id` };
      if (key === '$metadata.$model') return { kind: 'column', sql: `${t}.model` };
    } else {
      if (key === '$relationshipId') return { kind: 'column', sql: `${t}.id` };
      if (key === '$relationshipName') return { kind: 'column', sql: `${t}.name` };
      if (key === '$sourceId' || key === '$targetId') {
        if (collection.ends !== undefined) {
          return {
            kind: 'column',
            sql: `${(key === '$sourceId' ? collection.ends.source : collection.ends.target).table}.id`,
          };
        }
        return {
          kind: 'twin-ref',
          pkColumn: `${t}.${key === '$sourceId' ? 'source' : 'target'}`,
          doc: this.doc(collection, rest, offset),
        };
      }
    }
    return this.doc(collection, rest, offset);
  }

  private doc(collection: Collection, rest: readonly string[], offset: number): DocValue {
    const path = jsonPath(rest, this.text, offset);
    const indexed =
      collection.kind === 'twin' &&
      rest.length <= INDEXED_DEPTH &&
      rest.every((s) => s !== '' && !s.startsWith('$') && !s.includes('.'));
    return indexed
      ? {
          kind: 'doc',
          doc: `${collection.table}.doc`,
          path,
          indexedName: rest.join('.'),
          table: collection.table,
        }
      : { kind: 'doc', doc: `${collection.table}.doc`, path, table: collection.table };
  }
}
