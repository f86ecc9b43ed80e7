// A single relationship (GET/PATCH/DELETE /api/v1/twins/{id}/relationships/{relId}) follows the list's
// rule: a caller limited to prefixes sees only relationships whose target lies in them, and is told
// "not found" for the others, exactly as for a relationship that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
let acme: string; // writer limited to 88.100.1
const machine = { $metadata: { $model: 'dtmi:test:Machine;1' } };
const line = { $metadata: { $model: 'dtmi:test:Line;1' } };
const rel = (relId: string) => `/api/v1/twins/${encodeURIComponent('88.100.1/line')}/relationships/${relId}`;

beforeAll(async () => {
  p = await startTestPlatform();
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
  const imported = await p.api('/api/v1/import', {
    method: 'POST',
    json: {
      twins: [
        { $dtId: '88.100.1/line', ...line },
        { $dtId: '88.100.1/m1', ...machine },
        { $dtId: '88.200.2/m1', ...machine },
      ],
      relationships: [
        {
          $relationshipId: 'own',
          $sourceId: '88.100.1/line',
          $relationshipName: 'contains',
          $targetId: '88.100.1/m1',
        },
        // Made by an unrestricted admin: it crosses from acme's tenant into another.
        {
          $relationshipId: 'cross',
          $sourceId: '88.100.1/line',
          $relationshipName: 'contains',
          $targetId: '88.200.2/m1',
        },
      ],
    },
  });
  expect(imported.status).toBe(200);
  const res = await p.api('/api/v1/tokens', {
    method: 'POST',
    json: { name: 'acme', role: 'writer', prefixes: ['88.100.1'] },
  });
  acme = ((await res.json()) as { token: string }).token;
});
afterAll(async () => p?.close());

const answer = async (res: Response) => ({
  status: res.status,
  code: ((await res.json()) as { code?: string }).code,
});

describe('a single relationship across tenants', () => {
  it('is hidden from the list, and answered 404 like a missing one on GET, PATCH and DELETE', async () => {
    const list = (await (await p.api(rel('').slice(0, -1), { token: acme })).json()) as {
      value: { $relationshipId: string }[];
    };
    expect(list.value.map((r) => r.$relationshipId)).toEqual(['own']);
    expect((await p.api(rel('own'), { token: acme })).status).toBe(200);

    const patch = { method: 'PATCH', headers: { 'content-type': 'application/json-patch+json' }, body: '[]' };
    for (const relId of ['cross', 'does-not-exist']) {
      const expected = { status: 404, code: 'IMV_RELATIONSHIP_NOT_FOUND' };
      expect(await answer(await p.api(rel(relId), { token: acme }))).toEqual(expected);
      expect(await answer(await p.api(rel(relId), { ...patch, token: acme }))).toEqual(expected);
      expect(await answer(await p.api(rel(relId), { method: 'DELETE', token: acme }))).toEqual(expected);
    }
  });

  it('is left untouched by the refused calls, and still served to an unrestricted token', async () => {
    const res = await p.api(rel('cross'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ $targetId: '88.200.2/m1', $etag: 'W/"1"' });
  });
});
