// Chooses which top-level AND-ed conditions are served by the twin_props index (name, value, twin).
import { FLIP, type CompareOp, type Expr, type LiteralValue, type Operand } from './ast.js';
import { docIsType, param, typeOf } from './predicate.js';
import { MAX_INDEXED_STRING, type DocValue, type Scope } from './scope.js';
import { concat, placeholders, sql, type Sql } from './sql.js';

export interface IndexedCondition {
  /** eq: a point lookup, cheap to probe from any side of a join; range: worth driving from only. */
  readonly kind: 'eq' | 'range';
  readonly value: DocValue & { readonly indexedName: string };
  /** The condition on the twin_props row aliased p. */
  readonly condition: (p: string) => Sql;
  /** A check on the document that the index cannot make (booleans index as 1/0, numbers 0 and 1 too). */
  readonly residual?: Sql;
}

/** The AND-ed conditions at the top of a WHERE, parentheses removed. */
export function conjuncts(e: Expr | undefined): Expr[] {
  if (e === undefined) return [];
  return e.kind === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function indexedPath(scope: Scope, operand: Operand): (DocValue & { indexedName: string }) | undefined {
  if (operand.kind !== 'path') return undefined;
  const value = scope.value(operand);
  return value.kind === 'doc' && value.indexedName !== undefined
    ? (value as DocValue & { indexedName: string })
    : undefined;
}

const isIndexedString = (v: LiteralValue): v is string =>
  typeof v === 'string' && v.length <= MAX_INDEXED_STRING;

/** Whether `x op n` can hold for x = 0 or x = 1, the values booleans are indexed as. */
function admitsZeroOrOne(op: CompareOp, n: number): boolean {
  return [0, 1].some((x) =>
    op === '='
      ? x === n
      : op === '!='
        ? x !== n
        : op === '<'
          ? x < n
          : op === '>'
            ? x > n
            : op === '<='
              ? x <= n
              : x >= n,
  );
}

/** The index form of one top-level condition, or undefined when it must be checked on the document. */
export function indexable(e: Expr, scope: Scope): IndexedCondition | undefined {
  if (e.kind === 'compare') {
    let { op, left, right } = e;
    if (left.kind === 'literal') [left, right, op] = [right, left, FLIP[op]];
    if (right.kind !== 'literal') return undefined;
    const value = indexedPath(scope, left);
    if (value === undefined) return undefined;
    const literal = right.value;
    if (typeOf(literal) === 'string') {
      // Long strings are not indexed, so only equality with a short string is exact.
      if (op !== '=' || !isIndexedString(literal)) return undefined;
      return { kind: 'eq', value, condition: (p) => sql(`${p}.value = ?`, literal) };
    }
    if (typeof literal === 'boolean') {
      if (op !== '=') return undefined;
      return {
        kind: 'eq',
        value,
        condition: (p) => sql(`${p}.value = ?`, param(literal)),
        residual: docIsType(value, [String(literal)]),
      };
    }
    if (typeof literal !== 'number') return undefined;
    const residual = admitsZeroOrOne(op, literal) ? docIsType(value, ['integer', 'real']) : undefined;
    // Numbers sort before all text in SQLite: `< ''` keeps a range among the numbers.
    const condition = (p: string): Sql => {
      switch (op) {
        case '=':
          return sql(`${p}.value = ?`, literal);
        case '!=':
          return sql(`${p}.value < '' AND ${p}.value <> ?`, literal);
        case '<':
        case '<=':
          return sql(`${p}.value ${op} ?`, literal);
        case '>':
        case '>=':
          return sql(`${p}.value ${op} ? AND ${p}.value < ''`, literal);
      }
    };
    const kind = op === '=' ? 'eq' : 'range';
    return residual === undefined ? { kind, value, condition } : { kind, value, condition, residual };
  }
  if (e.kind === 'in' && !e.negated && e.values.length > 0) {
    const value = indexedPath(scope, e.operand);
    if (value === undefined) return undefined;
    const values = e.values.map((v) => v.value);
    if (!values.every((v) => isIndexedString(v) || typeof v === 'number')) return undefined;
    const residual = values.some((v) => v === 0 || v === 1)
      ? docIsType(value, ['text', 'integer', 'real'])
      : undefined;
    const condition = (p: string): Sql =>
      sql(`${p}.value IN (${placeholders(values.length)})`, ...(values as Array<string | number>));
    return residual === undefined
      ? { kind: 'eq', value, condition }
      : { kind: 'eq', value, condition, residual };
  }
  return undefined;
}

/** `$dtId = '…'` or `$dtId IN […]`: the unique id index drives the query. */
export function isIdLookup(e: Expr, scope: Scope): boolean {
  const isId = (o: Operand): boolean => {
    if (o.kind !== 'path') return false;
    const value = scope.value(o);
    return value.kind === 'column' && /^t\d+\.id$/.test(value.sql);
  };
  if (e.kind === 'compare' && e.op === '=')
    return (isId(e.left) && e.right.kind === 'literal') || (isId(e.right) && e.left.kind === 'literal');
  return e.kind === 'in' && !e.negated && isId(e.operand);
}

/** JOIN twin_props p ON p.twin = T.pk AND p.name = ? AND <condition> */
export function propsJoin(p: string, c: IndexedCondition): Sql {
  return concat(
    sql(
      ` JOIN twin_props ${p} ON ${p}.twin = ${c.value.table}.pk AND ${p}.name = ? AND `,
      c.value.indexedName,
    ),
    c.condition(p),
  );
}
