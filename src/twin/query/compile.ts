// Turns a parsed query into one SQLite statement over twins, relationships and twin_props, plus a row mapper.
import type { SubtreeScope } from '../../access/access-view.js';
import { scopeSql } from '../scope-sql.js';
import { ValidationError } from '../../core/errors.js';
import type { Projection, QueryAst } from './ast.js';
import type { CompiledQuery, QueryContext } from './index.js';
import { conjuncts, indexable, isIdLookup, propsJoin } from './plan.js';
import { PredicateCompiler } from './predicate.js';
import { canonical, Scope, type RelationshipCollection, type TwinCollection } from './scope.js';
import { concat, join, jsonPath, sql, unsupported, type Sql } from './sql.js';

export function compileQuery(
  ast: QueryAst,
  ctx: QueryContext,
  page: { offset: number; limit: number },
): CompiledQuery {
  for (const key of ['offset', 'limit'] as const) {
    if (!Number.isSafeInteger(page[key]) || page[key] < 0) {
      throw new ValidationError('IMV_REQUEST_INVALID', `page ${key} must be a whole number of at least 0`, {
        path: `/${key}`,
      });
    }
  }
  const { text } = ast;
  const scope = new Scope(text, ast.from);

  // ---- FROM and JOIN … RELATED
  let from = sql(ast.from.source === 'twins' ? 'twins t0' : 'relationships r0');
  ast.from.joins.forEach((j, i) => {
    if (ast.from.source === 'relationships')
      throw unsupported(text, j.offset, 'FROM RELATIONSHIPS cannot be combined with JOIN');
    const source = scope.byName(j.from);
    if (source === undefined)
      throw unsupported(
        text,
        j.offset,
        `RELATED ${j.from}.${j.relationship}: ${j.from} is not a collection named before this JOIN`,
      );
    if (source.kind !== 'twin')
      throw unsupported(
        text,
        j.offset,
        `RELATED ${j.from}.${j.relationship}: ${j.from} is a relationship; JOIN from twins`,
      );
    const target: TwinCollection = { kind: 'twin', name: j.target, table: `t${i + 1}` };
    const relationship: RelationshipCollection = {
      kind: 'relationship',
      name: j.relationshipAlias,
      table: `r${i}`,
      ends: { source, target },
    };
    scope.add(target, j.offset);
    scope.add(relationship, j.offset);
    from = concat(
      from,
      sql(
        ` JOIN relationships r${i} ON r${i}.source = ${source.table}.pk AND r${i}.name = ?`,
        j.relationship,
      ),
      ` JOIN twins t${i + 1} ON t${i + 1}.pk = r${i}.target`,
    );
  });

  // ---- WHERE: index lookups for the top-level AND-ed conditions that allow it, the document for the rest
  const predicates = new PredicateCompiler(scope, ctx);
  const all = conjuncts(ast.where);
  const indexed = all.map((c) => indexable(c, scope));
  // A range over twin_props is only worth it as the driving index: probing one per outer row scans the range each time.
  const hasPointLookup = all.some((c) => isIdLookup(c, scope)) || indexed.some((c) => c?.kind === 'eq');
  let rangeUsed = false;
  const propJoins: Sql[] = [];
  const where: Sql[] = [];
  all.forEach((c, i) => {
    const ix = indexed[i];
    if (ix !== undefined && (ix.kind === 'eq' || (!hasPointLookup && !rangeUsed))) {
      if (ix.kind === 'range') rangeUsed = true;
      propJoins.push(propsJoin(`p${propJoins.length}`, ix));
      if (ix.residual !== undefined) where.push(ix.residual);
    } else where.push(predicates.expr(c));
  });
  if (ctx.scope !== undefined) where.push(...tenantConditions(scope, ctx.scope));
  const body = concat(
    ' FROM ',
    from,
    ...propJoins,
    where.length === 0 ? '' : concat(' WHERE ', join(where, ' AND ')),
  );

  // ---- SELECT
  const select = ast.select;
  if (select.kind === 'count') {
    return {
      sql: concat('SELECT COUNT(*) AS c0', body, ' LIMIT ? OFFSET ?').text,
      params: [...concat(body).params, 1, page.offset],
      kind: 'count',
      toItem: (row) => ({ COUNT: row.c0 }),
    };
  }
  const top = select.top;
  const limit = top === undefined ? page.limit : Math.max(0, Math.min(page.limit, top - page.offset));
  let columns: Sql;
  let toItem: (row: Record<string, unknown>) => unknown;
  if (select.kind === 'star') {
    if (scope.hasJoins)
      throw unsupported(
        text,
        ast.from.offset,
        'SELECT * cannot be used with JOIN; name the collections to return, as in SELECT T, C',
      );
    columns = sql(`${scope.root.table}.doc AS c0`);
    toItem = (row) => JSON.parse(row.c0 as string);
  } else {
    ({ columns, toItem } = projections(select.items, scope));
  }
  const statement = concat('SELECT ', columns, body, ' LIMIT ? OFFSET ?');
  const compiled: CompiledQuery = {
    sql: statement.text,
    params: [...statement.params, limit, page.offset],
    kind: 'items',
    toItem,
  };
  if (top !== undefined) compiled.top = top;
  return compiled;
}

/**
 * Keeps a scoped caller inside its scope: every twin the query touches (and both ends of every
 * relationship of FROM RELATIONSHIPS) must lie in it. Identifiers are stored normalised, so the
 * scope is index ranges (scope-sql.ts).
 */
function tenantConditions(scope: Scope, access: SubtreeScope): Sql[] {
  const inScope = (column: string): Sql => {
    const condition = scopeSql(column, access);
    return condition === undefined ? sql('0') : sql(condition.sql, ...condition.params);
  };
  if (scope.root.kind === 'relationship') {
    const table = scope.root.table;
    return ['source', 'target'].map((end) =>
      concat(`EXISTS (SELECT 1 FROM twins e WHERE e.pk = ${table}.${end} AND `, inScope('e.id'), ')'),
    );
  }
  return scope.twinTables().map((table) => inScope(`${table}.id`));
}

/** SELECT T, C.name AS n, …: whole collections as documents, properties as JSON (absent when undefined). */
function projections(
  items: readonly Projection[],
  scope: Scope,
): { columns: Sql; toItem: (row: Record<string, unknown>) => unknown } {
  const columns: Sql[] = [];
  const outputs: Array<{ key: string; column: string; whole: boolean }> = [];
  items.forEach((item, i) => {
    const { collection, rest } = scope.resolve(item.path);
    const whole = rest.length === 0;
    const key = item.as ?? (whole ? collection.name! : canonical(rest[rest.length - 1]!));
    if (outputs.some((o) => o.key === key)) {
      throw unsupported(
        scope.text,
        item.path.offset,
        `two results are named ${key}; give one another name with AS`,
      );
    }
    const column = `c${i}`;
    columns.push(
      whole
        ? sql(`${collection.table}.doc AS ${column}`)
        : sql(
            `${collection.table}.doc -> ? AS ${column}`,
            jsonPath(canonicalRest(scope, item), scope.text, item.path.offset),
          ),
    );
    outputs.push({ key, column, whole });
  });
  return {
    columns: join(columns, ', '),
    toItem: (row) => {
      const item: Record<string, unknown> = {};
      for (const o of outputs) {
        const raw = row[o.column];
        if (raw !== null && raw !== undefined) item[o.key] = JSON.parse(raw as string);
      }
      return item;
    },
  };
}

/** The property path inside its collection, with system names in their canonical case. */
function canonicalRest(scope: Scope, item: Projection): string[] {
  return scope.resolve(item.path).rest.map(canonical);
}
