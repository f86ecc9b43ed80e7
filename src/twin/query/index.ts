// The Azure Digital Twins query language, compiled to indexed SQLite SQL (docs/query.md).
export type { QueryAst } from './ast.js';
export { parseQuery } from './parser.js';
export { compileQuery } from './compile.js';

export interface QueryContext {
  /** The model and every model that extends it, directly or not. */
  descendantsOf(modelId: string): readonly string[];
  /** When set, only twins whose identifier starts with one of these prefixes (tenants) are seen. */
  readonly prefixes?: readonly string[];
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
