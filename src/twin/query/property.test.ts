// Randomised checks, seeded (fast-check prints the seed and the shrunk case on failure).
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { compileQuery, parseQuery } from './index.js';
import { models, TestDb } from './test-db.js';

const SEED = Number(process.env.QUERY_PROPERTY_SEED ?? 20240611);

const TOKENS = [
  'SELECT',
  'FROM',
  'WHERE',
  'JOIN',
  'RELATED',
  'AS',
  'AND',
  'OR',
  'NOT',
  'IN',
  'NIN',
  'TOP',
  'COUNT',
  'DIGITALTWINS',
  'RELATIONSHIPS',
  'T',
  'C',
  'R',
  'T.a',
  'C.b',
  'T.$dtId',
  'R.$sourceId',
  'T.$metadata.$model',
  'a',
  'a.b',
  '*',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  "'x'",
  '"y"',
  '1',
  '-2.5',
  'true',
  'null',
  'exact',
  'IS_OF_MODEL(',
  'IS_DEFINED(',
  'STARTSWITH(',
  'CONTAINS(',
  'IS_NUMBER(',
  "'dtmi:test:Room;1'",
  '[[g]]',
  'T.contains',
  'MATCH',
  '@',
  "'",
];

describe('parser robustness', () => {
  it('throws nothing but ValidationError on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          parseQuery(text);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('on random token sequences, parses, compiles and runs, or throws ValidationError', () => {
    const t = new TestDb(new Database(':memory:'));
    t.twin('a', 'dtmi:test:Room;1', { a: 1 });
    const query = fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }).map((ts) => ts.join(' '));
    const prefixed = fc
      .tuple(
        fc.constantFrom(
          'SELECT * FROM DIGITALTWINS T WHERE',
          'SELECT T, C FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE',
          'SELECT',
        ),
        query,
      )
      .map(([p, q]) => `${p} ${q}`);
    fc.assert(
      fc.property(fc.oneof(query, prefixed), (text) => {
        try {
          const compiled = compileQuery(parseQuery(text), models, { offset: 0, limit: 5 });
          t.db
            .prepare(compiled.sql)
            .all(...compiled.params)
            .forEach((row) => compiled.toItem(row as Record<string, unknown>));
        } catch (e) {
          if (!(e instanceof ValidationError)) throw e;
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

// ---- A naive evaluator of ADT semantics over the documents, written independently of the compiler

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Truth = boolean | undefined;
type Cond =
  | { kind: 'cmp'; path: string; op: string; value: Json }
  | { kind: 'in'; path: string; negated: boolean; values: Json[] }
  | { kind: 'and' | 'or'; left: Cond; right: Cond }
  | { kind: 'not'; cond: Cond };

const typeName = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function get(doc: Record<string, Json>, path: string): Json | undefined {
  let v: Json | undefined = doc;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !(key in v)) return undefined;
    v = v[key];
  }
  return v;
}

function compare(op: string, a: Json | undefined, b: Json): Truth {
  if (a === undefined || typeName(a) !== typeName(b) || typeof a === 'object') {
    return a === null && b === null ? ['=', '<=', '>='].includes(op) : undefined;
  }
  const [x, y] =
    typeof a === 'boolean' ? [Number(a), Number(b)] : [a as number | string, b as number | string];
  return { '=': x === y, '!=': x !== y, '<': x < y, '>': x > y, '<=': x <= y, '>=': x >= y }[op];
}

function evaluate(c: Cond, doc: Record<string, Json>): Truth {
  switch (c.kind) {
    case 'cmp':
      return compare(c.op, get(doc, c.path), c.value);
    case 'in': {
      const v = get(doc, c.path);
      if (v === undefined) return undefined;
      const found = c.values.some((x) => compare('=', v, x) === true);
      return c.negated ? !found : found;
    }
    case 'not': {
      const v = evaluate(c.cond, doc);
      return v === undefined ? undefined : !v;
    }
    case 'and': {
      const [l, r] = [evaluate(c.left, doc), evaluate(c.right, doc)];
      return l === false || r === false ? false : l === undefined || r === undefined ? undefined : true;
    }
    case 'or': {
      const [l, r] = [evaluate(c.left, doc), evaluate(c.right, doc)];
      return l === true || r === true ? true : l === undefined || r === undefined ? undefined : false;
    }
  }
}

const literalText = (v: Json): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

function text(c: Cond): string {
  switch (c.kind) {
    case 'cmp':
      return `T.${c.path} ${c.op} ${literalText(c.value)}`;
    case 'in':
      return `T.${c.path} ${c.negated ? 'NIN' : 'IN'} [${c.values.map(literalText).join(', ')}]`;
    case 'not':
      return `NOT (${text(c.cond)})`;
    default:
      return `(${text(c.left)} ${c.kind.toUpperCase()} ${text(c.right)})`;
  }
}

const scalar = fc.constantFrom<Json>(-1, 0, 1, 0.5, 2, 10, '', 'a', 'b', 'ab', '0', '1', true, false, null);
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.constantFrom<Json>({ k: 1 }, [1]) },
);
const PATHS = ['p', 'q', 'n.x'];
const path = fc.constantFrom(...PATHS);
const op = fc.constantFrom('=', '!=', '<', '>', '<=', '>=');
const comparison: fc.Arbitrary<Cond> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('cmp' as const), path, op, value: scalar }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('in' as const),
      path,
      negated: fc.boolean(),
      values: fc.array(scalar, { minLength: 1, maxLength: 3 }),
    }),
  },
);
const twin = fc.record(
  { p: value, q: value, n: fc.oneof(fc.record({ x: value }, { requiredKeys: [] }), scalar) },
  { requiredKeys: [] },
);

function check(twins: Array<Record<string, Json>>, cond: Cond): void {
  const t = new TestDb(new Database(':memory:'));
  const docs = twins.map(
    (props, i) => t.twin(`t${i}`, 'dtmi:test:Room;1', props) as unknown as Record<string, Json>,
  );
  const query = `SELECT T.$dtId FROM DIGITALTWINS T WHERE ${text(cond)}`;
  const got = t
    .query(query)
    .map((i) => (i as { $dtId: string }).$dtId)
    .sort();
  const expected = docs
    .filter((d) => evaluate(cond, d) === true)
    .map((d) => d.$dtId as string)
    .sort();
  expect(got, query).toEqual(expected);
}

describe('results agree with a naive evaluation over the documents', () => {
  it('for a random AND of scalar comparisons (the indexed path)', () => {
    const conjunction = fc
      .array(comparison, { minLength: 1, maxLength: 4 })
      .map((cs) => cs.reduce((left, right) => ({ kind: 'and', left, right })));
    fc.assert(fc.property(fc.array(twin, { maxLength: 12 }), conjunction, check), {
      seed: SEED,
      numRuns: 300,
    });
  });

  it('for random AND / OR / NOT trees (the document path)', () => {
    const tree = fc.letrec<{ cond: Cond }>((tie) => ({
      cond: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        comparison,
        fc.record({ kind: fc.constant('not' as const), cond: tie('cond') }),
        fc.record({
          kind: fc.constantFrom('and' as const, 'or' as const),
          left: tie('cond'),
          right: tie('cond'),
        }),
      ),
    })).cond;
    fc.assert(fc.property(fc.array(twin, { maxLength: 12 }), tree, check), { seed: SEED, numRuns: 300 });
  });
});
