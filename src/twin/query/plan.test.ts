// The common query forms must be served by indexes, not by scanning twins, at millions of twins.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { indexedValues } from '../doc.js';
import { propsOf, TestDb } from './test-db.js';

const t = new TestDb(new Database(':memory:'));
const plan = (text: string): string => t.plan(text).join('\n');

describe('query plans', () => {
  it.each([
    [
      "SELECT * FROM DIGITALTWINS WHERE $dtId = 'r1'",
      /USING (COVERING )?INDEX sqlite_autoindex_twins_1 \(id=\?\)/,
    ],
    ["SELECT * FROM DIGITALTWINS T WHERE T.$dtId IN ['a', 'b']", /sqlite_autoindex_twins_1 \(id=\?\)/],
    [
      "SELECT * FROM DIGITALTWINS WHERE STARTSWITH($dtId, 'room-')",
      /sqlite_autoindex_twins_1 \(id>\? AND id<\?\)/,
    ],
    [
      "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Room;1')",
      /USING INDEX twins_by_model \(model=\?\)/,
    ],
    [
      "SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Space;1', exact)",
      /twins_by_model \(model=\?\)/,
    ],
    [
      "SELECT * FROM DIGITALTWINS WHERE status = 'ok'",
      /SEARCH p0 USING PRIMARY KEY \(name=\? AND value=\?\)/,
    ],
    [
      'SELECT * FROM DIGITALTWINS WHERE layout.x IN [1, 2]',
      /SEARCH p0 USING PRIMARY KEY \(name=\? AND value=\?\)/,
    ],
    ['SELECT * FROM DIGITALTWINS WHERE on = true', /SEARCH p0 USING PRIMARY KEY \(name=\? AND value=\?\)/],
    [
      'SELECT TOP(10) FROM DIGITALTWINS WHERE temp > 20',
      /SEARCH p0 USING PRIMARY KEY \(name=\? AND value>\? AND value<\?\)/,
    ],
    ['SELECT * FROM DIGITALTWINS WHERE temp <= 20', /SEARCH p0 USING PRIMARY KEY \(name=\? AND value<\?\)/],
    [
      "SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Room;1') AND temp > 20",
      /SEARCH p0 USING PRIMARY KEY/,
    ],
    [
      "SELECT * FROM DIGITALTWINS WHERE status = 'ok' AND floor = 3 AND temp > 20",
      /SEARCH p1 USING PRIMARY KEY \(name=\? AND value=\? AND twin=\?\)/,
    ],
    [
      "SELECT C FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'b1'",
      /SEARCH r0 USING (COVERING )?INDEX rel_by_source \(source=\? AND name=\?\)/,
    ],
    [
      "SELECT T FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE C.$dtId = 'r1'",
      /SEARCH r0 USING (COVERING )?INDEX rel_by_target \(target=\? AND name=\?\)/,
    ],
    [
      "SELECT C FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE C.status = 'ok'",
      /SEARCH p0 USING PRIMARY KEY/,
    ],
    [
      "SELECT D FROM DIGITALTWINS B JOIN F RELATED B.contains JOIN R RELATED F.contains JOIN D RELATED R.has WHERE B.$dtId IN ['b1', 'b2'] AND R.temp > 20",
      /SEARCH r2 USING (COVERING )?INDEX rel_by_source/,
    ],
    [
      "SELECT * FROM RELATIONSHIPS WHERE $sourceId IN ['A', 'B']",
      /SEARCH r0 USING INDEX rel_by_source \(source=\?\)/,
    ],
    [
      "SELECT * FROM RELATIONSHIPS R WHERE R.$targetId = 'A'",
      /SEARCH r0 USING INDEX rel_by_target \(target=\?\)/,
    ],
  ])('%s', (text, expected) => {
    const p = plan(text);
    expect(p).toMatch(expected);
    expect(p).not.toMatch(/SCAN (t|r)\d/);
  });

  it('falls back to the document, not the index, under OR and NOT', () => {
    expect(plan('SELECT * FROM DIGITALTWINS WHERE temp > 20 OR temp < 0')).toMatch(/SCAN t0/);
    expect(plan('SELECT * FROM DIGITALTWINS WHERE temp > 20 OR temp < 0')).not.toMatch(/twin_props|p0/);
  });
});

describe('test seeding follows the store', () => {
  it('computes the same twin_props rows as src/twin/doc.ts', () => {
    const doc = {
      $dtId: 'x',
      $metadata: { $model: 'dtmi:a;1', temp: { lastUpdateTime: 'now' } },
      a: 1,
      b: 'two',
      c: true,
      d: false,
      e: null,
      f: [1, 2],
      g: { h: { i: { j: 1 }, k: 'x' }, $l: 2 },
      long: 'y'.repeat(257),
      edge: 'z'.repeat(256),
    };
    expect(propsOf(doc).sort()).toEqual(indexedValues(doc).sort());
  });
});
