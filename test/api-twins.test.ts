// The twin API over real HTTP against a real SQLite store: CRUD, concurrency, bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
const enc = encodeURIComponent;
const press = '88.100.1/line-1/press-01';

beforeAll(async () => {
  p = await startTestPlatform();
  const res = await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS });
  expect(res.status).toBe(201);
});
afterAll(async () => p.close());

async function problem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    status,
    code,
    type: expect.stringContaining(code),
    title: expect.any(String),
  });
  return body;
}

const machine = (fields: Record<string, unknown> = {}) => ({
  $metadata: { $model: 'dtmi:test:Press;1' },
  name: 'Press 1',
  speed: 1.5,
  state: 'running',
  ...fields,
});

describe('twins over HTTP', () => {
  it('creates, reads, patches with If-Match and deletes a twin', async () => {
    let res = await p.api(`/api/v1/twins/${enc(press)}`, { method: 'PUT', json: machine() });
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toBe('W/"1"');
    const created = (await res.json()) as Record<string, any>;
    expect(created).toMatchObject({
      $dtId: press,
      $etag: 'W/"1"',
      name: 'Press 1',
      $metadata: { $model: 'dtmi:test:Press;1' },
    });
    expect(created.$metadata.speed.lastUpdateTime).toEqual(expect.any(String));

    res = await p.api(`/api/v1/twins/${enc(press)}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(created);

    res = await p.api(`/api/v1/twins/${enc(press)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json', 'if-match': 'W/"1"' },
      body: JSON.stringify([
        { op: 'replace', path: '/speed', value: 2.5 },
        { op: 'add', path: '/$metadata/speed/sourceTime', value: '2026-11-25T08:00:00Z' },
      ]),
    });
    expect(res.status).toBe(200);
    const patched = (await res.json()) as Record<string, any>;
    expect(patched).toMatchObject({ speed: 2.5, $etag: 'W/"2"' });
    expect(patched.$metadata.speed.sourceTime).toBe('2026-11-25T08:00:00Z');

    res = await p.api(`/api/v1/twins/${enc(press)}`, { method: 'DELETE', headers: { 'if-match': 'W/"2"' } });
    expect(res.status).toBe(204);
    await problem(await p.api(`/api/v1/twins/${enc(press)}`), 404, 'IMV_TWIN_NOT_FOUND');
  });

  it('normalises the identifier prefix case-insensitively', async () => {
    await p.api(`/api/v1/twins/${enc('acme.na/m-1')}`, { method: 'PUT', json: machine() });
    const res = await p.api(`/api/v1/twins/${enc('ACME.NA/m-1')}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { $dtId: string }).$dtId).toBe('ACME.NA/m-1');
  });

  it('answers a stale If-Match with 412 and keeps the newer state', async () => {
    const id = enc('88.100.1/race');
    await p.api(`/api/v1/twins/${id}`, { method: 'PUT', json: machine({ speed: 1 }) });
    const patch = (value: number, etag: string) =>
      p.api(`/api/v1/twins/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json', 'if-match': etag },
        body: JSON.stringify([{ op: 'replace', path: '/speed', value }]),
      });
    expect((await patch(2, 'W/"1"')).status).toBe(200);
    const body = await problem(await patch(3, 'W/"1"'), 412, 'IMV_PRECONDITION_FAILED');
    expect(body.path).toBe('/If-Match');
    expect(((await (await p.api(`/api/v1/twins/${id}`)).json()) as { speed: number }).speed).toBe(2);
  });

  it('adds a field and its source timestamp in one patch', async () => {
    const id = enc('88.100.1/timed');
    await p.api(`/api/v1/twins/${id}`, {
      method: 'PUT',
      json: { $metadata: { $model: 'dtmi:test:Press;1' } },
    });
    const res = await p.api(`/api/v1/twins/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([
        { op: 'add', path: '/temperature', value: 71.5 },
        { op: 'add', path: '/$metadata/temperature/sourceTime', value: '2026-11-25T07:59:59.500Z' },
      ]),
    });
    expect(res.status).toBe(200);
    const twin = (await res.json()) as Record<string, any>;
    expect(twin.temperature).toBe(71.5);
    expect(twin.$metadata.temperature).toEqual({
      lastUpdateTime: expect.any(String),
      sourceTime: '2026-11-25T07:59:59.500Z',
    });
  });

  it('reports a stale If-Match before anything else in the patch', async () => {
    const id = enc('88.100.1/stale');
    await p.api(`/api/v1/twins/${id}`, { method: 'PUT', json: machine() });
    const res = await p.api(`/api/v1/twins/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json', 'if-match': 'W/"9"' },
      body: JSON.stringify([{ op: 'replace', path: '/nope', value: 1 }]),
    });
    await problem(res, 412, 'IMV_PRECONDITION_FAILED');
  });

  describe('bad input: a 4xx problem with a stable code and path, and nothing changes', () => {
    const id = '88.100.1/bad-input';
    beforeAll(async () => {
      expect((await p.api(`/api/v1/twins/${enc(id)}`, { method: 'PUT', json: machine() })).status).toBe(201);
    });
    const unchanged = async () => {
      const twin = (await (await p.api(`/api/v1/twins/${enc(id)}`)).json()) as Record<string, unknown>;
      expect(twin).toMatchObject({ $etag: 'W/"1"', speed: 1.5, state: 'running' });
    };

    it('invalid JSON', async () => {
      const res = await p.api(`/api/v1/twins/${enc(id)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"$metadata": {',
      });
      await problem(res, 400, 'IMV_REQUEST_INVALID_JSON');
      await unchanged();
    });

    it('a wrong type for a property', async () => {
      const res = await p.api(`/api/v1/twins/${enc(id)}`, {
        method: 'PUT',
        json: machine({ speed: 'fast' }),
      });
      const body = await problem(res, 400, 'IMV_TWIN_INVALID');
      expect(body.path).toBe('/speed');
      await unchanged();
    });

    it('a value outside an enum, by patch', async () => {
      const res = await p.api(`/api/v1/twins/${enc(id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json' },
        body: JSON.stringify([{ op: 'replace', path: '/state', value: 'exploded' }]),
      });
      const body = await problem(res, 400, 'IMV_TWIN_INVALID');
      expect(body.path).toBe('/state');
      await unchanged();
    });

    it('a property the model does not declare', async () => {
      const res = await p.api(`/api/v1/twins/${enc(id)}`, {
        method: 'PUT',
        json: machine({ colour: 'red' }),
      });
      const body = await problem(res, 400, 'IMV_TWIN_INVALID');
      expect(body.path).toBe('/colour');
      await unchanged();
    });

    it('an unknown model', async () => {
      const res = await p.api(`/api/v1/twins/${enc('88.100.1/other')}`, {
        method: 'PUT',
        json: { $metadata: { $model: 'dtmi:test:Nope;1' } },
      });
      const body = await problem(res, 400, 'IMV_MODEL_UNKNOWN');
      expect(body.path).toBe('/$metadata/$model');
      await problem(await p.api(`/api/v1/twins/${enc('88.100.1/other')}`), 404, 'IMV_TWIN_NOT_FOUND');
    });

    it('a duplicate identifier', async () => {
      const res = await p.api('/api/v1/twins', {
        method: 'POST',
        json: { $dtId: id, ...machine({ speed: 9 }) },
      });
      await problem(res, 409, 'IMV_TWIN_EXISTS');
      await unchanged();
    });

    it('a relationship to a twin that does not exist', async () => {
      const res = await p.api(`/api/v1/twins/${enc(id)}/relationships/f1`, {
        method: 'PUT',
        json: { $relationshipName: 'feeds', $targetId: '88.100.1/ghost' },
      });
      const body = await problem(res, 400, 'IMV_RELATIONSHIP_TARGET_MISSING');
      expect(body.path).toBe('/$targetId');
      expect(
        ((await (await p.api(`/api/v1/twins/${enc(id)}/relationships`)).json()) as { value: [] }).value,
      ).toEqual([]);
    });

    it('a patch of a system field', async () => {
      const res = await p.api(`/api/v1/twins/${enc(id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json' },
        body: JSON.stringify([{ op: 'replace', path: '/$dtId', value: 'x/y' }]),
      });
      const body = await problem(res, 400, 'IMV_TWIN_PATCH_INVALID');
      expect(body.path).toBe('/0/path');
      await unchanged();
    });

    it('an oversized body', async () => {
      const res = await p.api(`/api/v1/twins/${enc(id)}`, {
        method: 'PUT',
        json: machine({ name: 'x'.repeat(5 * 1024 * 1024) }),
      });
      await problem(res, 413, 'IMV_REQUEST_TOO_LARGE');
      await unchanged();
    });

    it('absurdly deep nesting', async () => {
      const res = await p.api(`/api/v1/twins/${enc(id)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: `{"$metadata":{"$model":"dtmi:test:Press;1"},"name":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      });
      // Refused by the body parser's depth limit before any recursive code runs (json-body.ts).
      await problem(res, 400, 'IMV_REQUEST_JSON_TOO_DEEP');
      await unchanged();
    });

    it('a malformed identifier', async () => {
      const res = await p.api(`/api/v1/twins/${enc('no-prefix-here')}`, { method: 'PUT', json: machine() });
      const body = await problem(res, 400, 'IMV_ID_MALFORMED');
      expect(body.path).toBe('/$dtId');
    });

    it('an unparsable If-Match', async () => {
      const res = await p.api(`/api/v1/twins/${enc(id)}`, {
        method: 'DELETE',
        headers: { 'if-match': 'banana' },
      });
      await problem(res, 400, 'IMV_REQUEST_INVALID');
      await unchanged();
    });

    it('a bad query-string parameter', async () => {
      const body = await problem(await p.api('/api/v1/twins?pageSize=0'), 400, 'IMV_REQUEST_INVALID');
      expect(body.path).toBe('/query/pageSize');
    });
  });
});
