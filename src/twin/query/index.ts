// The Azure Digital Twins query language, compiled to indexed SQLite SQL (docs/query.md).
import type { SubtreeScope } from '../../access/access-view.js';

export type { QueryAst } from './ast.js';
export { parseQuery } from './parser.js';
export { compileQuery } from './compile.js';

export interface QueryContext {
  /** The model and every model that extends it, directly or not. */
  descendantsOf(modelId: string): readonly string[];
  /** When set, only twins in this scope (the caller's tenants or shared subtrees) are seen. */
  readonly scope?: SubtreeScope;
}

export interface CompiledQuery {
  /** One SQLite statement with positional '?' parameters. */
  sql: string;
  params: Array<string | number | null>;
  kind: 'count' | 'items';
  /** Turns one SQL result row into one result item in ADT's shape (parse doc JSON columns, project fields). */
  toItem(row: Record<string, unknown>): unknown;
  /** TOP(n), if given. */
  top?: number;
}
