// A SubtreeScope as an SQL condition on an identifier column, made of index ranges: the subtree S
// is `id = S` or `S/` ≤ id < `S0` (`0` follows `/`), so a scope stays an index range scan.
import type { ScopeException, SubtreeScope } from '../access/access-view.js';

export interface ScopeSql {
  readonly sql: string;
  readonly params: string[];
}

/** The condition, or undefined when nothing is in scope (the caller can skip the query). */
export function scopeSql(column: string, scope: SubtreeScope | undefined): ScopeSql | undefined {
  if (scope === undefined || (scope.allowAll && scope.exceptions.length === 0))
    return { sql: '1', params: [] };
  if (!scope.allowAll && scope.exceptions.length === 0) return undefined;
  const params: string[] = [];
  const inside = (subtree: string): string => {
    params.push(`${subtree}/`, `${subtree}0`);
    const range = `(${column} >= ? AND ${column} < ?)`;
    if (!subtree.includes('/')) return range; // a Handle prefix alone is never an identifier
    params.push(subtree);
    return `(${range} OR ${column} = ?)`;
  };
  // An exception's region: its subtree, less the regions of the exceptions within it.
  const region = (exception: ScopeException): string =>
    exception.within.length === 0
      ? inside(exception.subtree)
      : `(${inside(exception.subtree)} AND NOT ${anyOf(exception.within)})`;
  const anyOf = (exceptions: readonly ScopeException[]): string => `(${exceptions.map(region).join(' OR ')})`;
  const sql = scope.allowAll ? `NOT ${anyOf(scope.exceptions)}` : anyOf(scope.exceptions);
  return { sql, params };
}
