import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { compileQuery, parseQuery, type QueryContext } from './index.js';
import { models, TestDb } from './test-db.js';

const ids = (items: unknown[]): string[] => items.map((i) => (i as { $dtId: string }).$dtId).sort();

let t: TestDb;
beforeAll(() => {
  t = new TestDb(new Database(':memory:'));
  t.twin('b1', 'dtmi:test:Space;1', { name: 'Building 1' });
  t.twin('f1', 'dtmi:test:Space;1', { name: 'Floor 1', level: 1 });
  t.twin('r1', 'dtmi:test:Room;1', {
    name: 'Room 1',
    temp: 21.5,
    occupied: true,
    layout: { x: 1, y: 2, deep: { z: 'a' } },
  });
  t.twin('r2', 'dtmi:test:ConferenceRoom;1', { name: 'Room 2', temp: '22', occupied: 1, layout: { x: 5 } });
  t.twin('r3', 'dtmi:test:Room;1', { name: 'Room 3', temp: 30, occupied: false, note: null, tags: ['a'] });
  t.twin('s1', 'dtmi:test:Sensor;1', { name: 'Sensor 1', value: 0, long: 'x'.repeat(300) });
  t.twin('s2', 'dtmi:test:Sensor;1', { name: 'sensor 2', value: true });
  t.relate('b1', 'contains', 'f1');
  t.relate('f1', 'contains', 'r1', { since: 2020 });
  t.relate('f1', 'contains', 'r2', { since: 2021 });
  t.relate('f1', 'contains', 'r3');
  t.relate('r1', 'has', 's1', { role: 'primary' });
  t.relate('r1', 'has', 's2');
  t.relate('r2', 'has', 's2');
});

describe('result shapes', () => {
  it('SELECT * returns twin documents as they are', () => {
    const items = t.query("SELECT * FROM DIGITALTWINS WHERE $dtId = 'r1'");
    expect(items).toEqual([t.twins.find((d) => d.$dtId === 'r1')]);
  });

  it('SELECT T returns { T: twin }', () => {
    expect(t.query("SELECT T FROM DIGITALTWINS T WHERE T.$dtId = 'b1'")).toEqual([{ T: t.twins[0] }]);
  });

  it('SELECT T, C, R returns each named collection', () => {
    const items = t.query(
      "SELECT F, R, E FROM DIGITALTWINS F JOIN R RELATED F.contains E WHERE F.$dtId = 'f1' AND R.$dtId = 'r1'",
    );
    expect(items).toEqual([{ F: t.twins[1], R: t.twins[2], E: t.relationships[1] }]);
  });

  it('projects properties under their last name or AS, omitting undefined ones', () => {
    const items = t.query(
      "SELECT T.name, T.layout.x, T.temp AS t, T.$dtId, T.$metadata.$model FROM DIGITALTWINS T WHERE T.$dtId IN ['r1', 'b1']",
    );
    expect(items).toContainEqual({ name: 'Room 1', x: 1, t: 21.5, $dtId: 'r1', $model: 'dtmi:test:Room;1' });
    expect(items).toContainEqual({ name: 'Building 1', $dtId: 'b1', $model: 'dtmi:test:Space;1' });
  });

  it('projects objects, nulls and booleans as JSON values', () => {
    expect(t.query("SELECT layout, note, occupied FROM DIGITALTWINS WHERE $dtId = 'r3'")).toEqual([
      { note: null, occupied: false },
    ]);
    expect(t.query("SELECT T.layout AS l FROM DIGITALTWINS T WHERE T.$dtId = 'r1'")).toEqual([
      { l: { x: 1, y: 2, deep: { z: 'a' } } },
    ]);
  });

  it('SELECT COUNT() returns one { COUNT: n } item', () => {
    expect(t.query('SELECT COUNT() FROM DIGITALTWINS')).toEqual([{ COUNT: 7 }]);
    expect(t.query('SELECT COUNT() FROM RELATIONSHIPS')).toEqual([{ COUNT: 7 }]);
    expect(
      t.query("SELECT COUNT() FROM DIGITALTWINS F JOIN R RELATED F.contains WHERE F.$dtId = 'f1'"),
    ).toEqual([{ COUNT: 3 }]);
  });

  it('FROM RELATIONSHIPS returns relationship documents and filters by $sourceId, $relationshipName and properties', () => {
    expect(t.query("SELECT * FROM RELATIONSHIPS WHERE $sourceId IN ['r1', 'r2']")).toHaveLength(3);
    expect(
      t.query("SELECT R FROM RELATIONSHIPS R WHERE R.$targetId = 's2' AND R.$relationshipName = 'has'"),
    ).toHaveLength(2);
    expect(t.query('SELECT R.$relationshipId AS id FROM RELATIONSHIPS R WHERE R.since >= 2021')).toEqual([
      { id: 'f1-contains-r2' },
    ]);
  });
});

describe('filters', () => {
  it('IS_OF_MODEL includes models that extend it, unless exact', () => {
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Room;1')"))).toEqual([
      'r1',
      'r2',
      'r3',
    ]);
    expect(
      ids(t.query("SELECT * FROM DIGITALTWINS DT WHERE IS_OF_MODEL(DT, 'dtmi:test:Room;1', exact)")),
    ).toEqual(['r1', 'r3']);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Room;1', EXACT)"))).toEqual([
      'r1',
      'r3',
    ]);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE NOT IS_OF_MODEL('dtmi:test:Space;1')"))).toEqual([
      's1',
      's2',
    ]);
  });

  it('compares numbers, never strings or booleans, with numbers', () => {
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE temp > 5'))).toEqual(['r1', 'r3']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE temp < 100'))).toEqual(['r1', 'r3']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE temp != 30'))).toEqual(['r1']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE occupied = 1'))).toEqual(['r2']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE value >= 0'))).toEqual(['s1']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE value IN [0, 1]'))).toEqual(['s1']);
  });

  it('compares strings only with strings', () => {
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE temp = '22'"))).toEqual(['r2']);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE temp > '1'"))).toEqual(['r2']);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE name >= 'Room' AND name < 'S'"))).toEqual([
      'r1',
      'r2',
      'r3',
    ]);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE $dtId = 1'))).toEqual([]);
  });

  it('compares booleans only with booleans', () => {
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE occupied = true'))).toEqual(['r1']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE occupied = false'))).toEqual(['r3']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE occupied != false'))).toEqual(['r1']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE value = true'))).toEqual(['s2']);
  });

  it('matches null only with null', () => {
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE note = null'))).toEqual(['r3']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE note != null'))).toEqual([]);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE NOT IS_NULL(note) AND IS_DEFINED(temp)'))).toEqual([
      'r1',
      'r2',
    ]);
  });

  it('treats a comparison with a missing property or another type as undefined, also under NOT', () => {
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE NOT temp < 25'))).toEqual(['r3']);
    // r3: false OR undefined (no level) is undefined, and so is its NOT.
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE NOT (temp < 25 OR level = 1)'))).toEqual([]);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE NOT (temp < 25 OR name = 'Floor 1')"))).toEqual([
      'r3',
    ]);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE temp < 25 OR level = 1'))).toEqual(['f1', 'r1']);
  });

  it('IN is false and NIN true for a defined value not in the list; both are undefined for a missing one', () => {
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE temp IN [30, '22']"))).toEqual(['r2', 'r3']);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE temp NIN [30, '22']"))).toEqual(['r1']);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE $dtId NIN ['b1', 'f1', 'r1', 'r2']"))).toEqual([
      'r3',
      's1',
      's2',
    ]);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE occupied IN [true, null]'))).toEqual(['r1']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE note IN [true, null]'))).toEqual(['r3']);
  });

  it('compares nested paths and property against property', () => {
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE layout.deep.z = 'a'"))).toEqual(['r1']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE layout.x < layout.y'))).toEqual(['r1']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE layout.x = temp'))).toEqual([]);
  });

  it('finds long strings, which the index leaves out', () => {
    expect(ids(t.query(`SELECT * FROM DIGITALTWINS WHERE long = '${'x'.repeat(300)}'`))).toEqual(['s1']);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE long > 'x'"))).toEqual(['s1']);
  });

  it('type checks', () => {
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE IS_NUMBER(temp)'))).toEqual(['r1', 'r3']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE IS_STRING(temp)'))).toEqual(['r2']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE IS_BOOL(occupied)'))).toEqual(['r1', 'r3']);
    expect(
      ids(t.query('SELECT * FROM DIGITALTWINS WHERE IS_OBJECT(layout) AND NOT IS_DEFINED(layout.y)')),
    ).toEqual(['r2']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE IS_PRIMITIVE(note)'))).toEqual(['r3']);
    expect(
      ids(t.query('SELECT * FROM DIGITALTWINS WHERE NOT IS_PRIMITIVE(tags) AND IS_DEFINED(tags)')),
    ).toEqual(['r3']);
    expect(ids(t.query('SELECT * FROM DIGITALTWINS WHERE IS_DEFINED(level)'))).toEqual(['f1']);
  });

  it('string functions on $dtId and properties', () => {
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE STARTSWITH($dtId, 'r')"))).toEqual([
      'r1',
      'r2',
      'r3',
    ]);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE ENDSWITH(name, ' 2')"))).toEqual(['r2', 's2']);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE CONTAINS(name, 'oom')"))).toEqual([
      'r1',
      'r2',
      'r3',
    ]);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE STARTSWITH(name, 'S')"))).toEqual(['s1']);
    expect(ids(t.query("SELECT * FROM DIGITALTWINS WHERE NOT STARTSWITH(temp, '2')"))).toEqual([]);
  });

  it('reads escaped names: reserved words and non-ASCII characters', () => {
    const u = new TestDb(new Database(':memory:'));
    u.twin('a', 'dtmi:test:Room;1', { température: 5, group: 'g' });
    expect(
      u.query("SELECT T.[[température]] FROM DIGITALTWINS T WHERE T.[[température]] > 1 AND [[group]] = 'g'"),
    ).toEqual([{ température: 5 }]);
  });

  it('matches $dtId and system names in any case', () => {
    expect(ids(t.query("SELECT * FROM DIGITALTWINS T WHERE T.$DTID = 'r1'"))).toEqual(['r1']);
  });
});

describe('joins', () => {
  it('follows relationships forward and backward', () => {
    expect(
      ids(
        t
          .query("SELECT C FROM DIGITALTWINS F JOIN C RELATED F.contains WHERE F.$dtId = 'f1'")
          .map((i) => (i as { C: unknown }).C),
      ),
    ).toEqual(['r1', 'r2', 'r3']);
    expect(
      t.query("SELECT R.$dtId AS room FROM DIGITALTWINS R JOIN S RELATED R.has WHERE S.$dtId = 's2'"),
    ).toEqual(expect.arrayContaining([{ room: 'r1' }, { room: 'r2' }]));
  });

  it('chains joins and filters on relationship properties and twins at each level', () => {
    const items = t.query(
      "SELECT S.$dtId AS s, E.role AS role FROM DIGITALTWINS B JOIN F RELATED B.contains JOIN R RELATED F.contains JOIN S RELATED R.has E WHERE B.$dtId = 'b1' AND IS_OF_MODEL(R, 'dtmi:test:Room;1', exact) AND R.temp > 20",
    );
    expect(items).toEqual(expect.arrayContaining([{ s: 's1', role: 'primary' }, { s: 's2' }]));
    expect(items).toHaveLength(2);
    expect(
      t.query(
        "SELECT R FROM DIGITALTWINS F JOIN R RELATED F.contains E WHERE F.$dtId = 'f1' AND E.since > 2020",
      ),
    ).toEqual([{ R: t.twins[3] }]);
    expect(
      t.query(
        "SELECT E.$sourceId AS a, E.$targetId AS b FROM DIGITALTWINS F JOIN R RELATED F.contains E WHERE E.$targetId = 'r2'",
      ),
    ).toEqual([{ a: 'f1', b: 'r2' }]);
  });

  it('drops rows without a related twin (no outer join)', () => {
    expect(t.query("SELECT B, F FROM DIGITALTWINS B JOIN F RELATED B.has WHERE B.$dtId = 'b1'")).toEqual([]);
  });
});

describe('TOP and paging', () => {
  it('TOP(n) caps the items, across pages', () => {
    expect(t.query('SELECT TOP(2) FROM DIGITALTWINS')).toHaveLength(2);
    const all = t.query('SELECT TOP(5) T.$dtId FROM DIGITALTWINS T');
    expect(all).toHaveLength(5);
    const pages = [0, 2, 4].map((offset) =>
      t.query('SELECT TOP(5) T.$dtId FROM DIGITALTWINS T', models, { offset, limit: 2 }),
    );
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(all);
    const compiled = compileQuery(parseQuery('SELECT TOP(5) FROM DIGITALTWINS'), models, {
      offset: 0,
      limit: 3,
    });
    expect(compiled.top).toBe(5);
  });

  it('pages through a filtered result without loss or repeat', () => {
    const all = ids(t.query("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Space;1')"));
    const pages = [0, 1, 2, 3, 4].map((offset) =>
      t.query("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Space;1')", models, {
        offset,
        limit: 1,
      }),
    );
    expect(ids(pages.flat())).toEqual(all);
    expect(all).toHaveLength(5);
  });
});

describe('compile errors', () => {
  const unsupported = (text: string, message: RegExp): void => {
    let caught: unknown;
    try {
      t.query(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).code).toBe('IMV_QUERY_UNSUPPORTED');
    expect((caught as ValidationError).message).toMatch(message);
  };
  it('rejects valid but unsupported queries with a clear error', () => {
    unsupported(
      "SELECT * FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'b1'",
      /SELECT \* cannot be used with JOIN/,
    );
    unsupported(
      'SELECT * FROM RELATIONSHIPS R JOIN C RELATED R.contains',
      /FROM RELATIONSHIPS cannot be combined with JOIN/,
    );
    unsupported('SELECT C FROM DIGITALTWINS T JOIN C RELATED X.contains', /X is not a collection/);
    unsupported(
      'SELECT C FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE name = 1',
      /start each property path with a collection name/,
    );
    unsupported(
      "SELECT C FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE IS_OF_MODEL('dtmi:a;1')",
      /name the collection/,
    );
    unsupported(
      'SELECT T.name, C.name FROM DIGITALTWINS T JOIN C RELATED T.contains',
      /two results are named name/,
    );
    unsupported('SELECT T FROM DIGITALTWINS T JOIN T RELATED T.contains', /used twice/);
    unsupported('SELECT * FROM DIGITALTWINS T WHERE T = 1', /whole collection/);
    unsupported('SELECT * FROM DIGITALTWINS WHERE STARTSWITH(name, other)', /string literal/);
  });
});

describe('IS_OF_MODEL with a short model name', () => {
  // As the model registry answers: unknown models have no descendants.
  const registry: QueryContext = {
    descendantsOf: (id) =>
      id === 'dtmi:imverse:Equipment;1'
        ? [id, 'dtmi:imverse:Machine;1']
        : id === 'dtmi:imverse:Machine;1'
          ? [id]
          : [],
  };
  const compile = (text: string) => compileQuery(parseQuery(text), registry, { offset: 0, limit: 10 });

  it("means the built-in model, as in plant files: 'Equipment' is dtmi:imverse:Equipment;1", () => {
    const short = compile("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'Equipment')");
    const full = compile("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:imverse:Equipment;1')");
    expect(short.sql).toBe(full.sql);
    expect(short.params).toEqual(full.params);
    expect(short.params).toContain('dtmi:imverse:Machine;1');
  });

  it('refuses a name that is neither a DTMI nor a built-in model, rather than matching nothing', () => {
    expect(() => compile("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('Capper')")).toThrow(
      /IS_OF_MODEL needs a model id such as 'dtmi:acme:Capper;1' or a built-in model's short name/,
    );
    // A DTMI nobody registered is a fair question with an empty answer, as in Azure Digital Twins.
    expect(compile("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:acme:Capper;1')").sql).toContain('0');
  });
});
