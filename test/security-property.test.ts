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
  startSecurityFixture,
  type Caller,
  type FixtureRelationship,
  type FixtureTwin,
  type SecurityFixture,
} from './helpers/security-fixture.js';
import { wsUrl } from './helpers/sockets.js';

const enc = encodeURIComponent;
const RUNS = 80;

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
          if (process.env.SKIP_TRAVERSE !== '1') expectNothingHidden(c, traversed.body, `traverse ${t.id}`);
          if (readable) expectOk(traversed, 200, `traverse ${t.id}`);
          else expectRefused(c, traversed, `traverse ${t.id}`);

          const shape = queries[q]!;
          const text = shape.text(t);
          const query = await as(c, '/api/v1/query', {
            method: 'POST',
            json: { query: text, pageSize: 1000 },
          });
          expectNothingHidden(c, query.body, text);
          const any = existing().some((x) => reads(c, x.id));
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
                expect((await asAdmin(path)).text, `${op} ${t.id} by ${c.name}`).toBe(before.text);
              }
              break;
            }
            case 'replace twin': {
              const before = await asAdmin(path);
              const content = (doc: Doc | undefined) =>
                Object.fromEntries(Object.entries(doc ?? {}).filter(([key]) => !key.startsWith('$')));
              const body = { $metadata: { $model: t.model }, ...content(before.body as Doc), name: `w${n}` };
              const answer = await as(c, path, { method: 'PUT', json: body });
              if (writes(c, t.id)) {
                expectOk(answer, t.exists ? 200 : 201, `${op} ${t.id}`);
                const undo = t.exists
                  ? asAdmin(path, {
                      method: 'PUT',
                      json: { $metadata: { $model: t.model }, ...content(before.body as Doc) },
                    })
                  : asAdmin(path, { method: 'DELETE' });
                expect([200, 204]).toContain((await undo).status);
              } else {
                expectRefused(c, answer, `${op} ${t.id}`);
                expect((await asAdmin(path)).text, `${op} ${t.id} by ${c.name}`).toBe(before.text);
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
                expect((await asAdmin(target)).text, `${op} ${id} by ${c.name}`).toBe(before.text);
                expect((await asAdmin(`${target}/relationships`)).text).toBe(relationshipsBefore.text);
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
                expect((await asAdmin(relPath)).text, `${op} ${r.source} ${r.id} by ${c.name}`).toBe(
                  before.text,
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
                expect((await asAdmin(relPath)).text, `${op} ${r.source} ${r.id} by ${c.name}`).toBe(
                  before.text,
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
});
