import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { parseQuery } from './index.js';

function error(text: string): ValidationError {
  try {
    parseQuery(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('parseQuery: constructs', () => {
  it('parses SELECT * FROM DIGITALTWINS, keywords in any case', () => {
    const ast = parseQuery('select * From DigitalTwins');
    expect(ast.select).toEqual({ kind: 'star' });
    expect(ast.from).toMatchObject({ source: 'twins', joins: [] });
    expect(ast.from.alias).toBeUndefined();
    expect(ast.where).toBeUndefined();
  });

  it('parses a named collection and FROM RELATIONSHIPS', () => {
    expect(parseQuery('SELECT * FROM DIGITALTWINS T').from.alias).toBe('T');
    expect(parseQuery('SELECT * FROM RELATIONSHIPS R').from).toMatchObject({
      source: 'relationships',
      alias: 'R',
    });
  });

  it('parses TOP(n) with and without a projection', () => {
    expect(parseQuery('SELECT TOP(5) FROM DIGITALTWINS').select).toEqual({ kind: 'star', top: 5 });
    expect(parseQuery('SELECT TOP (2) * FROM DIGITALTWINS').select).toEqual({ kind: 'star', top: 2 });
    expect(parseQuery('SELECT TOP(3) T.name FROM DIGITALTWINS T').select).toMatchObject({
      kind: 'items',
      top: 3,
    });
  });

  it('parses COUNT()', () => {
    expect(parseQuery('SELECT COUNT() FROM DIGITALTWINS').select).toEqual({ kind: 'count' });
  });

  it('parses projections with paths, system names and AS', () => {
    const ast = parseQuery('SELECT T, T.name AS n, T.a.b, T.$metadata.$model, [[Group]] FROM DIGITALTWINS T');
    expect(ast.select.kind).toBe('items');
    if (ast.select.kind !== 'items') return;
    expect(ast.select.items.map((i) => [i.path.segments, i.as])).toEqual([
      [['T'], undefined],
      [['T', 'name'], 'n'],
      [['T', 'a', 'b'], undefined],
      [['T', '$metadata', '$model'], undefined],
      [['Group'], undefined],
    ]);
  });

  it('parses chained JOIN … RELATED with relationship aliases', () => {
    const ast = parseQuery(
      'SELECT L FROM DIGITALTWINS R JOIN P RELATED R.contains JOIN L RELATED P.contains E WHERE R.$dtId = "r1"',
    );
    expect(ast.from.joins).toMatchObject([
      { target: 'P', from: 'R', relationship: 'contains' },
      { target: 'L', from: 'P', relationship: 'contains', relationshipAlias: 'E' },
    ]);
  });

  it('parses WHERE with precedence NOT > AND > OR and parentheses', () => {
    const ast = parseQuery('SELECT * FROM DIGITALTWINS WHERE a = 1 OR NOT b = 2 AND (c = 3 OR d = 4)');
    expect(ast.where).toMatchObject({
      kind: 'or',
      left: { kind: 'compare', op: '=' },
      right: { kind: 'and', left: { kind: 'not' }, right: { kind: 'or' } },
    });
  });

  it('parses every comparison operator and literal', () => {
    const ops = ['=', '!=', '<', '>', '<=', '>='];
    for (const op of ops)
      expect(parseQuery(`SELECT * FROM DIGITALTWINS WHERE x ${op} 1`).where).toMatchObject({
        kind: 'compare',
        op,
      });
    expect(parseQuery('SELECT * FROM DIGITALTWINS WHERE x <> 1').where).toMatchObject({ op: '!=' });
    const literals: Array<[string, unknown]> = [
      ["'it\\'s'", "it's"],
      ['"double"', 'double'],
      ['-2.5e1', -25],
      ['TRUE', true],
      ['false', false],
      ['Null', null],
      ['.5', 0.5],
    ];
    for (const [text, value] of literals) {
      expect(parseQuery(`SELECT * FROM DIGITALTWINS WHERE x = ${text}`).where).toMatchObject({
        right: { kind: 'literal', value },
      });
    }
  });

  it('parses IN and NIN lists', () => {
    expect(parseQuery("SELECT * FROM DIGITALTWINS WHERE $dtId IN ['a', 'b']").where).toMatchObject({
      kind: 'in',
      negated: false,
      operand: { segments: ['$dtId'] },
      values: [{ value: 'a' }, { value: 'b' }],
    });
    expect(parseQuery('SELECT * FROM DIGITALTWINS WHERE x nin [1, null]').where).toMatchObject({
      kind: 'in',
      negated: true,
    });
    expect(parseQuery('SELECT * FROM DIGITALTWINS WHERE x IN []').where).toMatchObject({ values: [] });
  });

  it('parses function calls, including IS_OF_MODEL with exact', () => {
    expect(
      parseQuery("SELECT * FROM DIGITALTWINS DT WHERE is_of_model(DT, 'dtmi:a;1', exact)").where,
    ).toMatchObject({
      kind: 'call',
      name: 'IS_OF_MODEL',
      args: [{ segments: ['DT'] }, { value: 'dtmi:a;1' }, { segments: ['exact'] }],
    });
    expect(
      parseQuery("SELECT * FROM DIGITALTWINS WHERE STARTSWITH($dtId, 'a') AND NOT IS_DEFINED(tags.red)")
        .where,
    ).toMatchObject({
      kind: 'and',
    });
  });
});

describe('parseQuery: syntax errors', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['SELECT * FROM DIGITALTWINS WHERE x = #', '@37', /unexpected character '#'/],
    ["SELECT * FROM DIGITALTWINS WHERE x = 'abc", '@37', /close the string/],
    ['SELECT *', '@8', /expected FROM but found the end of the query/],
    ['SELECT * FROM TWINS', '@14', /expected DIGITALTWINS or RELATIONSHIPS/],
    ['SELECT TOP(0) FROM DIGITALTWINS', '@11', /whole number of at least 1/],
    ['SELECT TOP(1.5) FROM DIGITALTWINS', '@11', /whole number/],
    ['SELECT * FROM DIGITALTWINS WHERE (x = 1', '@39', /expected \) to close/],
    ['SELECT * FROM DIGITALTWINS WHERE x IN [1, y]', '@42', /string, number, true, false or null/],
    ['SELECT * FROM DIGITALTWINS WHERE x IN 1', '@38', /expected \[/],
    ['SELECT * FROM DIGITALTWINS WHERE x', '@34', /comparison/],
    ['SELECT * FROM DIGITALTWINS T T', '@29', /JOIN, WHERE or the end/],
    ['SELECT * FROM DIGITALTWINS WHERE x = 1 y', '@39', /AND, OR or the end/],
    ['SELECT * FROM DIGITALTWINS T JOIN C RELATED T', '@45', /expected \. and a relationship name/],
    ['SELECT * FROM DIGITALTWINS WHERE IS_DEFINED()', '@33', /IS_DEFINED takes 1 argument, found 0/],
    ['SELECT * FROM DIGITALTWINS WHERE x = [[y', '@37', /expected \]\]/],
    ['SELECT T.name AS FROM DIGITALTWINS T', '@17', /a name after AS/],
  ];
  it.each(cases)('%s', (text, path, message) => {
    const e = error(text);
    expect(e.code).toBe('IMV_QUERY_SYNTAX');
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
  });

  it('names the line and column', () => {
    const e = error('SELECT *\nFROM DIGITALTWINS\nWHERE x = = 1');
    expect(e.message).toMatch(/line 3, column 11/);
    expect(e.path).toBe('@37');
  });
});

describe('parseQuery: recognised but unsupported', () => {
  it.each([
    ['SELECT * FROM DIGITALTWINS MATCH (a)-[]->(b)', /MATCH/],
    ['SELECT * FROM DIGITALTWINS ORDER BY x', /ORDER BY/],
    ['SELECT * FROM (SELECT * FROM DIGITALTWINS)', /subqueries/],
    ['SELECT * FROM DIGITALTWINS WHERE ARRAY_CONTAINS(x, 1)', /ARRAY_CONTAINS is not supported/],
    [
      `SELECT * FROM DIGITALTWINS T ${Array.from({ length: 6 }, (_, i) => `JOIN C${i} RELATED T.r`).join(' ')}`,
      /at most 5 JOINs/,
    ],
  ])('%s', (text, message) => {
    const e = error(text);
    expect(e.code).toBe('IMV_QUERY_UNSUPPORTED');
    expect(e.message).toMatch(message);
    expect(e.path).toMatch(/^@\d+$/);
  });
});

describe('limits', () => {
  it('refuses absurd nesting and condition counts with a clear error, not a crash', () => {
    const deep = `SELECT * FROM DIGITALTWINS T WHERE ${'('.repeat(2000)}T.a = 1${')'.repeat(2000)}`;
    expect(() => parseQuery(deep)).toThrow(expect.objectContaining({ code: 'IMV_QUERY_UNSUPPORTED' }));
    const nots = `SELECT * FROM DIGITALTWINS T WHERE ${'NOT '.repeat(500)}T.a = 1`;
    expect(() => parseQuery(nots)).toThrow(/nest at most/);
    const wide = `SELECT * FROM DIGITALTWINS T WHERE ${Array(900).fill('T.a = 1').join(' OR ')}`;
    expect(() => parseQuery(wide)).toThrow(/at most 256 conditions/);
    expect(() =>
      parseQuery(`SELECT * FROM DIGITALTWINS T WHERE ${'('.repeat(30)}T.a = 1${')'.repeat(30)}`),
    ).not.toThrow();
  });
});
