// Random requests by random principals against the running API and the live stream, each checked
// against an oracle written from docs/security.md (test/helpers/access-oracle.ts, which does not use
// src/access): nobody reads or changes what its policy does not grant, whoever is granted gets it,
// and every refusal is counted on /metrics and recorded in the audit log.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { may } from './helpers/access-oracle.js';
import {
  auditedRefusals,
  call,
  refusalCounters,
  RefusalLedger,
  type Answer,
  type CallInit,
} from './helpers/refusal-ledger.js';
import {
  A,
  B,
  PROPERTIES,
  startSecurityFixture,
  type Caller,
  type FixtureRelationship,
  type FixtureTwin,
  type SecurityFixture,
} from './helpers/security-fixture.js';
import { wsUrl } from './helpers/sockets.js';

const enc = encodeURIComponent;
const RUNS = 60;
const LIVE_RUNS = 40;

let fx: SecurityFixture;
const ledger = new RefusalLedger();
let baseline: Map<string, number>;
/** Makes names and values of one run unique, so no run sees another's leftovers. */
let serial = 0;

beforeAll(async () => {
  fx = await startSecurityFixture();
  baseline = await refusalCounters(fx.p);
});
afterAll(async () => fx?.p.close());

const as = (caller: Caller, path: string, init?: CallInit) => call(fx.p, ledger, caller, path, init);
const asAdmin = (path: string, init?: CallInit) => as(fx.admin, path, init);

const reads = (c: Caller, id: string) => may(c.oracle, 'read', 'twin', id);
const writes = (c: Caller, id: string) => may(c.oracle, 'write', 'twin', id);
const readsField = (c: Caller, id: string, field: string) => may(c.oracle, 'read', 'twin', id, field);
const existing = () => fx.twins.filter((t) => t.exists);
const machines = () => existing().filter((t) => t.model !== 'dtmi:test:Line;1');
const sees = (c: Caller, r: FixtureRelationship) => reads(c, r.source) && reads(c, r.target);

type Doc = Record<string, unknown> & { $dtId?: string; $metadata?: Record<string, unknown> };

/** What a refused request answers: 401 to a caller without a valid credential, else 403 or 404. */
function expectRefused(c: Caller, answer: Answer, what: string): void {
  if (!c.oracle.authenticated) expect(answer.status, `${what}: ${answer.text}`).toBe(401);
  else expect([403, 404], `${what}: ${answer.status} ${answer.text}`).toContain(answer.status);
}

function expectOk(answer: Answer, status: number, what: string): void {
  expect(answer.status, `${what}: ${answer.text}`).toBe(status);
}

/**
 * Every twin, field and relationship in an answer is one the caller may read: walks the whole
 * JSON, whatever its shape (documents, query rows, traversal entries, events).
 */
function expectNothingHidden(c: Caller, value: unknown, what: string): void {
  if (Array.isArray(value)) {
    for (const item of value) expectNothingHidden(c, item, what);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Doc;
  if (typeof record.$dtId === 'string') {
    const id = record.$dtId;
    expect(reads(c, id), `${what}: ${c.name} was shown twin ${id}`).toBe(true);
    const fields = [...Object.keys(record), ...Object.keys(record.$metadata ?? {})];
    for (const field of fields.filter((f) => !f.startsWith('$'))) {
      expect(readsField(c, id, field), `${what}: ${c.name} was shown ${id}#${field}`).toBe(true);
    }
  }
  for (const end of ['$sourceId', '$targetId'] as const) {
    const id = record[end];
    if (typeof id === 'string') expect(reads(c, id), `${what}: ${c.name} was shown ${end} ${id}`).toBe(true);
  }
  for (const [key, inner] of Object.entries(record))
    if (key !== '$metadata') expectNothingHidden(c, inner, what);
}

/** What an answer tells of the state: the document, or the status alone (a problem names its request). */
const snap = (answer: Answer) => (answer.status === 200 ? answer.text : String(answer.status));

/**
 * The answer's text names no twin the caller may not read (as a JSON string), no value of a field
 * hidden from it, and no sample of a history it may not read: a check for any shape of answer.
 */
function expectNoForeignText(c: Caller, answer: Answer, what: string): void {
  // History is a resource of its own: a history answer names the twins whose history it holds.
  const ofHistory = /\/telemetry|\/world\/(states|changes)/.test(what);
  for (const t of existing()) {
    if (!reads(c, t.id) && !(ofHistory && may(c.oracle, 'read', 'history', t.id)))
      expect(answer.text, `${what} named ${t.id} to ${c.name}`).not.toContain(`"${t.id}"`);
    // Values no identifier or other text contains (a name may have been changed by now: then it is not found).
    for (const field of ['speed', 'name']) {
      const value = PROPERTIES[t.id]?.[field];
      if (value !== undefined && !readsField(c, t.id, field)) {
        expect(answer.text, `${what} told ${t.id}#${field} to ${c.name}`).not.toContain(String(value));
      }
    }
    if (!may(c.oracle, 'read', 'history', t.id)) {
      // The latest value is also the twin's state, which a twin reader sees; the older ones are history.
      const samples = fx.telemetry.get(t.id) ?? [];
      for (const sample of reads(c, t.id) ? samples.slice(0, -1) : samples) {
        expect(answer.text, `${what} told history of ${t.id} to ${c.name}`).not.toContain(
          String(sample.value),
        );
      }
    }
  }
}

async function adminDoc(id: string): Promise<Doc | undefined> {
  const answer = await asAdmin(`/api/v1/twins/${enc(id)}`);
  return answer.status === 200 ? (answer.body as Doc) : undefined;
}

/** The twin's document as `c` should see it: the admin's, less the fields hidden from `c`. */
function visibleDoc(c: Caller, doc: Doc): Doc {
  const id = doc.$dtId!;
  const hidden = (field: string) => !field.startsWith('$') && !readsField(c, id, field);
  const kept = Object.fromEntries(Object.entries(doc).filter(([key]) => !hidden(key)));
  kept.$metadata = Object.fromEntries(Object.entries(doc.$metadata ?? {}).filter(([key]) => !hidden(key)));
  return kept;
}

// Arbitraries draw names, so a counterexample reads as "partner 1, 88.100.1/line-2/vault".
const callerArb = () => fc.constantFrom(...fx.callers.map((c) => c.name));
const twinArb = () => fc.constantFrom(...fx.twins.map((t) => t.id));
const relationshipArb = () => fc.constantFrom(...fx.relationships.map((r) => `${r.source} ${r.id}`));
const caller = (name: string) => fx.callers.find((c) => c.name === name)!;
const twinOf = (id: string) => fx.twins.find((t) => t.id === id)!;
const relationshipOf = (key: string) => fx.relationships.find((r) => `${r.source} ${r.id}` === key)!;

const ids = (rows: unknown[]) => rows.map((row) => (row as Doc).$dtId).sort();

describe('random principals, random requests', () => {
  it('read only what their policy grants, and read all of it', async () => {
    const queries: Array<{
      text: (t: FixtureTwin) => string;
      expected: (c: Caller, t: FixtureTwin) => unknown;
      actual: (rows: unknown[]) => unknown;
    }> = [
      {
        text: () => 'SELECT * FROM DIGITALTWINS',
        expected: (c) =>
          existing()
            .filter((t) => reads(c, t.id))
            .map((t) => t.id)
            .sort(),
        actual: ids,
      },
      {
        text: (t) => `SELECT * FROM DIGITALTWINS T WHERE T.$dtId = '${t.id}'`,
        expected: (c, t) => (t.exists && reads(c, t.id) ? [t.id] : []),
        actual: ids,
      },
      {
        text: () => "SELECT T FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:test:Machine;1')",
        expected: (c) =>
          machines()
            .filter((t) => reads(c, t.id))
            .map((t) => t.id)
            .sort(),
        actual: (rows) => rows.map((row) => (row as { T: Doc }).T.$dtId).sort(),
      },
      {
        text: () => 'SELECT L, S FROM DIGITALTWINS L JOIN S RELATED L.contains',
        expected: (c) =>
          fx.relationships
            .filter((r) => r.name === 'contains' && sees(c, r))
            .map((r) => `${r.source} > ${r.target}`)
            .sort(),
        actual: (rows) =>
          rows.map((row) => `${(row as { L: Doc }).L.$dtId} > ${(row as { S: Doc }).S.$dtId}`).sort(),
      },
      {
        text: (t) => `SELECT S FROM DIGITALTWINS L JOIN S RELATED L.contains WHERE L.$dtId = '${t.id}'`,
        expected: (c, t) =>
          fx.relationships
            .filter((r) => r.name === 'contains' && r.source === t.id && sees(c, r))
            .map((r) => r.target)
            .sort(),
        actual: (rows) => rows.map((row) => (row as { S: Doc }).S.$dtId).sort(),
      },
      {
        text: () => 'SELECT COUNT() FROM DIGITALTWINS',
        expected: (c) => existing().filter((t) => reads(c, t.id)).length,
        actual: (rows) => (rows[0] as { COUNT: number }).COUNT,
      },
      {
        text: () => 'SELECT * FROM RELATIONSHIPS',
        expected: (c) =>
          fx.relationships
            .filter((r) => sees(c, r))
            .map((r) => `${r.source} ${r.id}`)
            .sort(),
        actual: (rows) =>
          rows
            .map(
              (row) =>
                `${(row as { $sourceId: string }).$sourceId} ${(row as { $relationshipId: string }).$relationshipId}`,
            )
            .sort(),
      },
    ];

    await fc.assert(
      fc.asyncProperty(
        callerArb(),
        twinArb(),
        relationshipArb(),
        fc.nat({ max: queries.length - 1 }),
        async (who, twinId, relKey, q) => {
          const [c, t, r] = [caller(who), twinOf(twinId), relationshipOf(relKey)];
          const as = async (who: Caller, path: string, init?: CallInit) => {
            const answer = await call(fx.p, ledger, who, path, init);
            expectNoForeignText(who, answer, `${init?.method ?? 'GET'} ${path}`);
            return answer;
          };

          // Lists and views over the whole plant.
          const list = await as(c, '/api/v1/twins?pageSize=1000');
          expectNothingHidden(c, list.body, 'GET /api/v1/twins');
          const any = existing().some((x) => reads(c, x.id));
          if (any) {
            expectOk(list, 200, 'GET /api/v1/twins');
            expect(ids(list.body.value)).toEqual(
              existing()
                .filter((x) => reads(c, x.id))
                .map((x) => x.id)
                .sort(),
            );
          } else expectRefused(c, list, 'GET /api/v1/twins');
          for (const view of [
            '/api/v1/world/scene',
            '/api/v1/world/kpis',
            '/api/v1/world/states?fields=temperature,speed',
            `/api/v1/world/changes?from=${Date.now() - 3_600_000}&fields=temperature,speed`,
            '/api/v1/ingest/dead-letters',
          ]) {
            const answer = await as(c, view);
            expectNothingHidden(c, answer.body, view);
            if (!c.oracle.authenticated) expect(answer.status).toBe(401);
          }
          const path = `/api/v1/twins/${enc(t.id)}`;
          const readable = reads(c, t.id) && t.exists;

          const twin = await as(c, path);
          if (readable) {
            expectOk(twin, 200, `GET ${t.id}`);
            expect(twin.body).toEqual(visibleDoc(c, (await adminDoc(t.id))!));
          } else {
            expectRefused(c, twin, `GET ${t.id}`);
          }
          expectNothingHidden(c, twin.body, `GET ${t.id}`);

          for (const [list, mine, other] of [
            ['relationships', 'source', 'target'],
            ['incomingrelationships', 'target', 'source'],
          ] as const) {
            const answer = await as(c, `${path}/${list}?pageSize=1000`);
            expectNothingHidden(c, answer.body, `GET ${t.id}/${list}`);
            if (readable) {
              expectOk(answer, 200, `GET ${t.id}/${list}`);
              const shown = (answer.body as { value: Array<{ $relationshipId: string; $sourceId: string }> })
                .value;
              expect(shown.map((rel) => `${rel.$sourceId} ${rel.$relationshipId}`).sort()).toEqual(
                fx.relationships
                  .filter((rel) => rel[mine] === t.id && reads(c, rel[other]))
                  .map((rel) => `${rel.source} ${rel.id}`)
                  .sort(),
              );
            } else {
              expectRefused(c, answer, `GET ${t.id}/${list}`);
            }
          }

          const one = await as(c, `/api/v1/twins/${enc(r.source)}/relationships/${r.id}`);
          expectNothingHidden(c, one.body, `GET relationship ${r.source} ${r.id}`);
          if (sees(c, r)) expectOk(one, 200, `GET relationship ${r.source} ${r.id}`);
          else expectRefused(c, one, `GET relationship ${r.source} ${r.id}`);

          const samples = fx.telemetry.get(t.id) ?? [];
          const window = `from=${Date.now() - 3_600_000}&to=${Date.now()}`;
          const history = await as(c, `${path}/telemetry?field=temperature&${window}`);
          const latest = await as(c, `${path}/telemetry/latest`);
          if (t.exists && may(c.oracle, 'read', 'history', t.id)) {
            expectOk(history, 200, `history of ${t.id}`);
            expect(
              history.body.series[0].samples.map((s: { time: number; value: number }) => [s.time, s.value]),
            ).toEqual(samples.map((s) => [s.time, s.value]));
            expectOk(latest, 200, `latest of ${t.id}`);
          } else {
            expectRefused(c, history, `history of ${t.id}`);
            expectRefused(c, latest, `latest of ${t.id}`);
            for (const s of samples) expect(history.text + latest.text).not.toContain(String(s.value));
          }

          const resolved = await as(c, `/api/v1/resolve/${t.id}`);
          if (readable) {
            expectOk(resolved, 200, `resolve ${t.id}`);
            expect(resolved.body.handle).toBe(t.id);
          } else {
            expectRefused(c, resolved, `resolve ${t.id}`);
          }

          const traversed = await as(c, `${path}/traverse`);
          expectNothingHidden(c, traversed.body, `traverse ${t.id}`);
          if (readable) expectOk(traversed, 200, `traverse ${t.id}`);
          else expectRefused(c, traversed, `traverse ${t.id}`);

          const shape = queries[q]!;
          const text = shape.text(t);
          const query = await as(c, '/api/v1/query', {
            method: 'POST',
            json: { query: text, pageSize: 1000 },
          });
          expectNothingHidden(c, query.body, text);
          if (!c.oracle.authenticated) expect(query.status).toBe(401);
          else if (!any) expect(query.status, `${text}: ${query.text}`).toBe(403);
          else {
            expectOk(query, 200, text);
            expect(shape.actual(query.body.value), text).toEqual(shape.expected(c, t));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('change only what their policy grants, and leave everything else exactly as it was', async () => {
    const ops = [
      'patch twin',
      'replace twin',
      'create twin',
      'delete twin',
      'create relationship',
      'patch relationship',
      'delete relationship',
      'ingest',
    ] as const;
    const machineIds = fx.twins.filter((t) => t.model !== 'dtmi:test:Line;1').map((t) => t.id);
    const feeds = fx.relationships.filter((r) => r.rate !== undefined).map((r) => `${r.source} ${r.id}`);
    await fc.assert(
      fc.asyncProperty(
        callerArb(),
        fc.constantFrom(...ops),
        twinArb(),
        fc.constantFrom(...existing().map((t) => t.id)),
        fc.constantFrom(
          ...existing()
            .map((t) => t.id)
            .filter((id) => machineIds.includes(id)),
        ),
        relationshipArb(),
        fc.constantFrom(...feeds),
        fc.constantFrom(...machineIds),
        async (who, op, twinId, anyTarget, machineTarget, relKey, feedKey, machineId) => {
          const c = caller(who);
          const n = ++serial;
          const t = twinOf(twinId);
          const path = `/api/v1/twins/${enc(t.id)}`;
          switch (op) {
            case 'patch twin': {
              const before = await asAdmin(path);
              const answer = await as(c, path, {
                method: 'PATCH',
                patch: [{ op: 'add', path: '/name', value: `w${n}` }],
              });
              if (writes(c, t.id) && t.exists) {
                expectOk(answer, 200, `${op} ${t.id}`);
                expect((await adminDoc(t.id))!.name).toBe(`w${n}`);
                const old = (before.body as Doc).name;
                const undo =
                  old === undefined
                    ? { op: 'remove', path: '/name' }
                    : { op: 'replace', path: '/name', value: old };
                expectOk(await asAdmin(path, { method: 'PATCH', patch: [undo] }), 200, 'restore');
              } else {
                expectRefused(c, answer, `${op} ${t.id}`);
                expect(snap(await asAdmin(path)), `${op} ${t.id} by ${c.name}`).toBe(snap(before));
              }
              break;
            }
            case 'replace twin': {
              const before = await asAdmin(path);
              const content = (doc: Doc | undefined) =>
                Object.fromEntries(Object.entries(doc ?? {}).filter(([key]) => !key.startsWith('$')));
              const body = {
                $metadata: { $model: t.model },
                ...content(before.status === 200 ? (before.body as Doc) : undefined),
                name: `w${n}`,
              };
              const answer = await as(c, path, { method: 'PUT', json: body });
              if (writes(c, t.id)) {
                expectOk(answer, t.exists ? 200 : 201, `${op} ${t.id}`);
                const undo = t.exists
                  ? asAdmin(path, {
                      method: 'PUT',
                      json: {
                        $metadata: { $model: t.model },
                        ...content(before.status === 200 ? (before.body as Doc) : undefined),
                      },
                    })
                  : asAdmin(path, { method: 'DELETE' });
                expect([200, 204]).toContain((await undo).status);
              } else {
                expectRefused(c, answer, `${op} ${t.id}`);
                expect(snap(await asAdmin(path)), `${op} ${t.id} by ${c.name}`).toBe(snap(before));
              }
              break;
            }
            case 'create twin': {
              const id = `${t.id}/new-${n}`;
              const answer = await as(c, `/api/v1/twins/${enc(id)}`, {
                method: 'PUT',
                json: { $metadata: { $model: 'dtmi:test:Machine;1' } },
              });
              if (writes(c, id)) expectOk(answer, 201, `${op} ${id}`);
              else expectRefused(c, answer, `${op} ${id}`);
              const after = await asAdmin(`/api/v1/twins/${enc(id)}`, { method: 'DELETE' });
              expect(after.status, `${op} ${id} by ${c.name}`).toBe(writes(c, id) ? 204 : 404);
              break;
            }
            case 'delete twin': {
              // A real twin for whom may not delete it; a twin made for the purpose for whom may.
              const id = writes(c, t.id) || !t.exists ? `${t.id}/doomed-${n}` : t.id;
              const target = `/api/v1/twins/${enc(id)}`;
              if (id !== t.id) {
                expectOk(
                  await asAdmin(target, {
                    method: 'PUT',
                    json: { $metadata: { $model: 'dtmi:test:Machine;1' } },
                  }),
                  201,
                  'scratch',
                );
              }
              const before = await asAdmin(target);
              const relationshipsBefore = await asAdmin(`${target}/relationships`);
              const answer = await as(c, target, { method: 'DELETE' });
              if (writes(c, id)) {
                expectOk(answer, 204, `${op} ${id}`);
                expect((await asAdmin(target)).status).toBe(404);
              } else {
                expectRefused(c, answer, `${op} ${id}`);
                expect(snap(await asAdmin(target)), `${op} ${id} by ${c.name}`).toBe(snap(before));
                expect(snap(await asAdmin(`${target}/relationships`))).toBe(snap(relationshipsBefore));
                if (id !== t.id) expectOk(await asAdmin(target, { method: 'DELETE' }), 204, 'cleanup');
              }
              break;
            }
            case 'create relationship': {
              const isLine = t.model === 'dtmi:test:Line;1';
              const target = isLine ? anyTarget : machineTarget;
              const relPath = `${path}/relationships/new-${n}`;
              const answer = await as(c, relPath, {
                method: 'PUT',
                json: { $relationshipName: isLine ? 'contains' : 'feeds', $targetId: target },
              });
              const allowed = t.exists && writes(c, t.id) && writes(c, target);
              const refused = !t.exists || !writes(c, t.id) || !reads(c, target);
              if (allowed) expectOk(answer, 201, `${op} ${t.id} → ${target}`);
              if (refused) {
                expectRefused(c, answer, `${op} ${t.id} → ${target}`);
                expect((await asAdmin(relPath)).status, `${op} ${t.id} → ${target} by ${c.name}`).toBe(404);
              }
              if (answer.status === 201)
                expectOk(await asAdmin(relPath, { method: 'DELETE' }), 204, 'cleanup');
              break;
            }
            case 'patch relationship': {
              const r = relationshipOf(feedKey);
              const relPath = `/api/v1/twins/${enc(r.source)}/relationships/${r.id}`;
              const before = await asAdmin(relPath);
              const answer = await as(c, relPath, {
                method: 'PATCH',
                patch: [{ op: 'replace', path: '/rate', value: 1000 + n }],
              });
              if (writes(c, r.source) && writes(c, r.target)) {
                expectOk(answer, 200, `${op} ${r.source} ${r.id}`);
                const undo = [{ op: 'replace', path: '/rate', value: r.rate }];
                expectOk(await asAdmin(relPath, { method: 'PATCH', patch: undo }), 200, 'restore');
              } else if (!writes(c, r.source) || !reads(c, r.target)) {
                expectRefused(c, answer, `${op} ${r.source} ${r.id}`);
                expect(snap(await asAdmin(relPath)), `${op} ${r.source} ${r.id} by ${c.name}`).toBe(
                  snap(before),
                );
              }
              break;
            }
            case 'delete relationship': {
              const r = relationshipOf(relKey);
              const relPath = `/api/v1/twins/${enc(r.source)}/relationships/${r.id}`;
              const before = await asAdmin(relPath);
              const answer = await as(c, relPath, { method: 'DELETE' });
              if (answer.status === 204) {
                expect(
                  writes(c, r.source) && writes(c, r.target),
                  `${op} ${r.source} ${r.id} by ${c.name}`,
                ).toBe(true);
                const restore = {
                  $relationshipName: r.name,
                  $targetId: r.target,
                  ...(r.rate === undefined ? {} : { rate: r.rate }),
                };
                expectOk(await asAdmin(relPath, { method: 'PUT', json: restore }), 201, 'restore');
              } else {
                expect(
                  writes(c, r.source) && writes(c, r.target),
                  `${op} ${r.source} ${r.id}: ${answer.text}`,
                ).toBe(false);
                expectRefused(c, answer, `${op} ${r.source} ${r.id}`);
                expect(snap(await asAdmin(relPath)), `${op} ${r.source} ${r.id} by ${c.name}`).toBe(
                  snap(before),
                );
              }
              break;
            }
            case 'ingest': {
              // Long ago, so the samples stay out of the window the read property checks.
              const time = Date.parse('2020-01-01T00:00:00Z') + n;
              const answer = await as(c, '/api/v1/ingest', {
                method: 'POST',
                json: { points: [{ twin: machineId, field: 'temperature', time, value: n + 0.5 }] },
              });
              const allowed = may(c.oracle, 'write', 'history', machineId);
              if (answer.status === 200)
                expect(answer.body.accepted, `${op} ${machineId} by ${c.name}`).toBe(
                  allowed && twinOf(machineId).exists ? 1 : 0,
                );
              else expectRefused(c, answer, `${op} ${machineId}`);
              const stored = await asAdmin(
                `/api/v1/twins/${enc(machineId)}/telemetry?field=temperature&from=${time}&to=${time + 1}`,
              );
              if (twinOf(machineId).exists) {
                const samples = stored.body.series[0].samples as unknown[];
                expect(samples.length, `${op} ${machineId} by ${c.name}`).toBe(allowed ? 1 : 0);
              }
              break;
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('use platform functions only as the role table allows', async () => {
    const unlimited = (c: Caller) => c.oracle.tenants === undefined;
    const ops: Record<
      string,
      {
        readonly allowed: (c: Caller, prefixes?: readonly string[]) => boolean;
        readonly run: (c: Caller, n: number, prefixes?: readonly string[]) => Promise<Answer>;
        readonly status: number;
        readonly undo?: (answer: Answer, n: number) => Promise<Answer>;
      }
    > = {
      'GET /api/v1/policies': {
        allowed: (c) => may(c.oracle, 'read', 'policies'),
        run: (c) => as(c, '/api/v1/policies'),
        status: 200,
      },
      'PUT /api/v1/policies/{id}': {
        // Grants nobody anything new: only whether the caller may write policies decides.
        allowed: (c) => may(c.oracle, 'write', 'policies') && may(c.oracle, 'read', 'model'),
        run: (c, n) =>
          as(c, `/api/v1/policies/scratch-${n}`, {
            method: 'PUT',
            json: {
              entries: { e: { subjects: ['group:nobody'], resources: { 'model:/': { grant: ['read'] } } } },
            },
          }),
        status: 201,
        undo: (_answer, n) => asAdmin(`/api/v1/policies/scratch-${n}`, { method: 'DELETE' }),
      },
      'GET /api/v1/users': {
        allowed: (c) => may(c.oracle, 'read', 'users'),
        run: (c) => as(c, '/api/v1/users'),
        status: 200,
      },
      'GET /api/v1/audit': {
        allowed: (c) => may(c.oracle, 'read', 'audit'),
        run: (c) => as(c, '/api/v1/audit?limit=1'),
        status: 200,
      },
      'GET /metrics': {
        allowed: (c) => may(c.oracle, 'read', 'metrics'),
        run: (c) => as(c, '/metrics'),
        status: 200,
      },
      'GET /api/v1/ingest/stats': {
        allowed: (c) => may(c.oracle, 'read', 'metrics'),
        run: (c) => as(c, '/api/v1/ingest/stats'),
        status: 200,
      },
      'GET /api/v1/devices': {
        allowed: (c) => may(c.oracle, 'read', 'devices'),
        run: (c) => as(c, '/api/v1/devices'),
        status: 200,
      },
      'GET /api/v1/models': {
        allowed: (c) => may(c.oracle, 'read', 'model'),
        run: (c) => as(c, '/api/v1/models'),
        status: 200,
      },
      // An admin limited to tenants lists the tokens of its tenants only.
      'GET /api/v1/tokens': {
        allowed: (c) => may(c.oracle, 'read', 'tokens'),
        run: async (c) => {
          const answer = await as(c, '/api/v1/tokens');
          if (answer.status === 200 && !unlimited(c)) {
            for (const token of answer.body.value as Array<{ name: string; prefixes?: string[] }>) {
              expect(token.prefixes, `token ${token.name} listed to ${c.name}`).toBeDefined();
              expect(c.oracle.tenants).toEqual(expect.arrayContaining(token.prefixes!));
            }
          }
          return answer;
        },
        status: 200,
      },
      // A token made for the purpose, limited to `prefixes`: an admin limited to tenants revokes
      // only tokens within them, and is told another's does not exist.
      'DELETE /api/v1/tokens/{id}': {
        allowed: (c, prefixes) =>
          may(c.oracle, 'write', 'tokens') &&
          (unlimited(c) || (prefixes !== undefined && prefixes.every((x) => c.oracle.tenants!.includes(x)))),
        run: async (c, n, prefixes) => {
          const made = await asAdmin('/api/v1/tokens', {
            method: 'POST',
            json: { name: `doomed-${n}`, role: 'viewer', ...(prefixes === undefined ? {} : { prefixes }) },
          });
          expectOk(made, 201, 'scratch token');
          const answer = await as(c, `/api/v1/tokens/${made.body.id}`, { method: 'DELETE' });
          const listed = (await asAdmin('/api/v1/tokens')).body.value as Array<{ id: string }>;
          expect(
            listed.some((t) => t.id === made.body.id),
            `token revoked by ${c.name}`,
          ).toBe(answer.status !== 204);
          if (answer.status !== 204) await asAdmin(`/api/v1/tokens/${made.body.id}`, { method: 'DELETE' });
          // Another tenant's token is answered as a missing one.
          return answer.status === 404 && c.oracle.authenticated ? { ...answer, status: 403 } : answer;
        },
        status: 204,
      },
      'POST /api/v1/tokens': {
        // Within the creator's own tenants, when it has some.
        allowed: (c, prefixes) =>
          may(c.oracle, 'write', 'tokens') &&
          (unlimited(c) || (prefixes !== undefined && prefixes.every((x) => c.oracle.tenants!.includes(x)))),
        run: (c, n, prefixes) =>
          as(c, '/api/v1/tokens', {
            method: 'POST',
            json: { name: `made-${n}`, role: 'admin', ...(prefixes === undefined ? {} : { prefixes }) },
          }),
        status: 201,
        undo: (answer) => asAdmin(`/api/v1/tokens/${answer.body.id}`, { method: 'DELETE' }),
      },
    };
    await fc.assert(
      fc.asyncProperty(
        callerArb(),
        fc.constantFrom(...Object.keys(ops)),
        fc.constantFrom(undefined, [A], [B], [A, B]),
        twinArb(),
        async (who, name, prefixes, twinId) => {
          const c = caller(who);
          const n = ++serial;
          const op = ops[name]!;
          const answer = await op.run(c, n, prefixes);
          if (op.allowed(c, prefixes)) {
            expectOk(answer, op.status, `${name} by ${c.name}`);
            if (op.undo) expect([200, 204], 'undo').toContain((await op.undo(answer, n)).status);
          } else {
            expect(answer.status, `${name} by ${c.name}: ${answer.text}`).toBe(
              c.oracle.authenticated ? 403 : 401,
            );
          }
          // What the pages ask before they show a control: the same answer as the oracle's.
          const access = await as(c, `/api/v1/access?resource=${enc(`twin:/${twinId}`)}`);
          if (!c.oracle.authenticated) expect(access.status).toBe(401);
          else {
            expectOk(access, 200, `access ${twinId}`);
            expect(access.body, `access to ${twinId} for ${c.name}`).toMatchObject({
              read: reads(c, twinId),
              write: writes(c, twinId),
            });
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('receive live only the changes of twins they may read, and all of those', async () => {
    const feeds = fx.relationships.filter((r) => r.rate !== undefined).map((r) => `${r.source} ${r.id}`);
    await fc.assert(
      fc.asyncProperty(
        callerArb(),
        fc.uniqueArray(fc.constantFrom(...existing().map((t) => t.id)), { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(fc.constantFrom(...feeds), { maxLength: 2 }),
        twinArb(),
        async (who, changed, changedFeeds, subtree) => {
          const c = caller(who);
          const n = ++serial;
          const { socket, status } = await openLive(c);
          const visible = existing().filter((t) => reads(c, t.id));
          if (visible.length === 0) {
            expect(status, `live upgrade by ${c.name}`).toBe(c.oracle.authenticated ? 403 : 401);
            return;
          }
          expect(status, `live upgrade by ${c.name}`).toBe(101);
          const messages: LiveMessage[] = [];
          socket!.on('message', (data) => messages.push(JSON.parse(String(data)) as LiveMessage));
          try {
            socket!.send(JSON.stringify({ type: 'subscribe', id: 'all', filter: {} }));
            socket!.send(JSON.stringify({ type: 'subscribe', id: 'part', filter: { subtree } }));
            await expect.poll(() => messages.filter((m) => m.id === 'all' || m.id === 'part').length).toBe(2);
            const part = messages.find((m) => m.id === 'part')!;
            if (reads(c, subtree) && twinOf(subtree).exists) expect(part.type).toBe('subscribed');
            else {
              expect(part.type, `subscribe to ${subtree} by ${c.name}`).toBe('error');
              ledger.addSocketMessage(part.code!);
            }

            for (const id of changed) {
              const patch = [{ op: 'add', path: '/name', value: `live-${n}` }];
              expectOk(
                await asAdmin(`/api/v1/twins/${enc(id)}`, { method: 'PATCH', patch }),
                200,
                `patch ${id}`,
              );
            }
            for (const key of changedFeeds) {
              const r = relationshipOf(key);
              const relPath = `/api/v1/twins/${enc(r.source)}/relationships/${r.id}`;
              const patch = [{ op: 'replace', path: '/rate', value: r.rate }];
              expectOk(await asAdmin(relPath, { method: 'PATCH', patch }), 200, `patch ${key}`);
            }
            // Events on one socket arrive in order: once the marker's is in, every earlier one is. The
            // marker is told apart by count, since the field it changes may be hidden from the caller.
            const named = visible.find((t) => readsField(c, t.id, 'name'));
            const marker = (named ??
              visible.find((t) => t.model !== 'dtmi:test:Line;1' && readsField(c, t.id, 'state')))!.id;
            const markPatch = [
              named
                ? { op: 'add', path: '/name', value: `marker-${n}` }
                : { op: 'add', path: '/state', value: n % 2 ? 'down' : 'running' },
            ];
            expectOk(
              await asAdmin(`/api/v1/twins/${enc(marker)}`, { method: 'PATCH', patch: markPatch }),
              200,
              'marker',
            );
            const aboutMarker = () =>
              messages.filter(
                (m) =>
                  m.subscription === 'all' &&
                  m.event?.type === 'io.imverse.twin.updated' &&
                  m.event.subject === marker,
              );
            const markerEvents = named && changed.includes(marker) ? 2 : 1;
            await expect
              .poll(() => aboutMarker().length, { timeout: 5_000 })
              .toBeGreaterThanOrEqual(markerEvents);
            const markerEvent = aboutMarker()[markerEvents - 1]!;
            const isMarker = (m: LiveMessage) => m === markerEvent;

            const events = messages.filter((m) => m.type === 'event');
            for (const m of events) {
              expect(reads(c, m.event!.subject!), `event about ${m.event!.subject} sent to ${c.name}`).toBe(
                true,
              );
              expectNothingHidden(c, m.event!.data, `live ${m.event!.type} to ${c.name}`);
              expectNoForeignText(
                c,
                { status: 200, body: m, text: JSON.stringify(m) },
                `live ${m.event!.type}`,
              );
            }
            const ofAll = events.filter((m) => m.subscription === 'all' && !isMarker(m));
            expect(
              ofAll
                .filter((m) => m.event!.type === 'io.imverse.twin.updated')
                .map((m) => m.event!.subject)
                .sort(),
              `twin changes sent to ${c.name}`,
              // A change of fields hidden from the caller alone is not sent to it at all.
            ).toEqual(changed.filter((id) => reads(c, id) && readsField(c, id, 'name')).sort());
            expect(
              ofAll
                .filter((m) => m.event!.type === 'io.imverse.relationship.updated')
                .map((m) => `${m.event!.data!.$sourceId} ${m.event!.data!.$relationshipId}`)
                .sort(),
              `relationship changes sent to ${c.name}`,
            ).toEqual(changedFeeds.filter((key) => sees(c, relationshipOf(key))).sort());
            for (const m of messages.filter((x) => x.type === 'error' && x.id !== 'part')) {
              throw new Error(`unexpected error message ${JSON.stringify(m)}`);
            }
          } finally {
            socket!.close();
          }
        },
      ),
      { numRuns: LIVE_RUNS },
    );
  }, 60_000);

  it('leave a trace of every refusal: on /metrics and in the audit log', async () => {
    expect(ledger.audited).toBeGreaterThan(0);
    const now = await refusalCounters(fx.p);
    const codes = new Set([
      ...ledger.edgeRefusals.keys(),
      ...[...ledger.socketRefusals.keys()].map((code) => `ws ${code}`),
    ]);
    for (const key of codes) {
      const expected =
        (ledger.edgeRefusals.get(key) ?? 0) +
        (key.startsWith('ws ') ? (ledger.socketRefusals.get(key.slice(3)) ?? 0) : 0);
      expect((now.get(key) ?? 0) - (baseline.get(key) ?? 0), `imverse_refusals_total{${key}}`).toBe(expected);
    }
    // Identical refusals are counted into one record per window (1 s here): the sum of `repeat` is
    // exact once the last window has closed.
    await expect.poll(() => auditedRefusals(fx.p), { timeout: 15_000, interval: 500 }).toBe(ledger.audited);
  });
});

// Focused tests of what the properties found, each on its own and independent of the runs before.
describe('a field a policy hides', () => {
  const m1 = `/api/v1/twins/${enc(`${A}/line-2/m1`)}`;
  const setSpeed = (value: number) =>
    asAdmin(m1, { method: 'PATCH', patch: [{ op: 'replace', path: '/speed', value }] });

  // Hole: TwinGraph.traverse returns the store's documents without the caller's field rules.
  it('stays out of a traversal', async () => {
    expectOk(await setSpeed(5.3125), 200, 'speed');
    try {
      const answer = await as(caller('partner 1'), `/api/v1/twins/${enc(`${A}/line-2`)}/traverse`);
      expectOk(answer, 200, 'traverse');
      const entry = (answer.body.value as Array<{ twin: Doc }>).find(
        (e) => e.twin.$dtId === `${A}/line-2/m1`,
      );
      expect(entry?.twin.$dtId, 'the machine is shared').toBe(`${A}/line-2/m1`);
      expect(entry?.twin).not.toHaveProperty('speed');
      expect(answer.text).not.toContain('5.3125');
    } finally {
      await setSpeed(PROPERTIES[`${A}/line-2/m1`]!.speed as number);
    }
  });

  // Hole: loadScene (src/world/scene-source.ts) reads the scene's fields from the store with the
  // caller's twin scope but not its field rules.
  it('stays out of the 3D scene', async () => {
    const line = `/api/v1/twins/${enc(`${A}/line-1`)}`;
    const name = `Hidden name ${++serial}`;
    expectOk(
      await asAdmin(line, { method: 'PATCH', patch: [{ op: 'add', path: '/name', value: name }] }),
      200,
      'name',
    );
    const answer = await as(caller('customer 1'), '/api/v1/world/scene');
    expectOk(answer, 200, 'scene');
    expect(answer.text, 'the line is shared').toContain(`"${A}/line-1"`);
    expect(answer.text).not.toContain(name);
  });

  // Hole: the resolve route (src/server/routes/resolve.ts) adds the twin's NAME from the stored
  // document without the caller's field rules.
  it('stays out of identifier resolution', async () => {
    const line = `/api/v1/twins/${enc(`${A}/line-1`)}`;
    const name = `Hidden name ${++serial}`;
    expectOk(
      await asAdmin(line, { method: 'PATCH', patch: [{ op: 'add', path: '/name', value: name }] }),
      200,
      'name',
    );
    const answer = await as(caller('customer 1'), `/api/v1/resolve/${A}/line-1`);
    expectOk(answer, 200, 'resolve');
    expect(answer.text).not.toContain(name);
  });

  it('stays out of the live stream, patches included', async () => {
    const { socket } = await openLive(caller('partner 1'));
    const messages: LiveMessage[] = [];
    socket!.on('message', (data) => messages.push(JSON.parse(String(data)) as LiveMessage));
    try {
      socket!.send(JSON.stringify({ type: 'subscribe', id: 'all', filter: {} }));
      await expect.poll(() => messages.some((m) => m.type === 'subscribed')).toBe(true);
      const patch = [
        { op: 'replace', path: '/speed', value: 5.4375 },
        { op: 'add', path: '/state', value: 'down' },
      ];
      expectOk(await asAdmin(m1, { method: 'PATCH', patch }), 200, 'patch');
      await expect.poll(() => messages.some((m) => m.type === 'event')).toBe(true);
      const event = messages.find((m) => m.type === 'event')!;
      expect((event.event!.data!.twin as Doc).state).toBe('down');
      expect(event.event!.data!.twin).not.toHaveProperty('speed');
      expect(JSON.stringify(event)).not.toContain('5.4375');
    } finally {
      socket!.close();
      await asAdmin(m1, { method: 'PATCH', patch: [{ op: 'replace', path: '/state', value: 'running' }] });
      await setSpeed(PROPERTIES[`${A}/line-2/m1`]!.speed as number);
    }
  });
});

interface LiveMessage {
  type: string;
  id?: string;
  code?: string;
  subscription?: string;
  event?: { type: string; subject?: string; data?: Record<string, any> };
}

/** Opens the live stream as `c`: the socket, or the status and code its upgrade was refused with. */
function openLive(c: Caller): Promise<{ socket?: WebSocket; status: number; code: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(fx.p, '/api/v1/live', c.token ?? undefined));
    socket.once('open', () => resolve({ socket, status: 101, code: '' }));
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        let code = '(no code)';
        try {
          code = (JSON.parse(text) as { code: string }).code;
        } catch {
          // not a problem document
        }
        const status = response.statusCode ?? 0;
        if (status === 401 || status === 403) ledger.add('ws', code);
        resolve({ status, code });
      });
    });
    socket.on('error', () => {});
  });
}
