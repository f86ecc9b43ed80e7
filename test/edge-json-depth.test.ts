// Deeply nested bodies are refused with 400 before JSON.parse or any recursive validator runs:
// never a 500, never a RangeError's message. Plant files (YAML or JSON text) likewise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
const DEPTH = 100_000;
const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const deepObject = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
const model = (schema: string) =>
  `[{"@context":"dtmi:dtdl:context;3","@id":"dtmi:deep:X;1","@type":"Interface",` +
  `"contents":[{"@type":"Property","name":"p","schema":${schema}}]}]`;

beforeAll(async () => {
  p = await startTestPlatform();
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
});
afterAll(async () => p?.close());

const send = async (method: string, path: string, type: string, body: string) => {
  const res = await p.api(path, { method, headers: { 'content-type': type }, body });
  const problem = (await res.json()) as { code: string; detail: string };
  return { status: res.status, code: problem.code, detail: problem.detail };
};

describe('deeply nested JSON bodies', () => {
  it.each([
    ['a DTDL model upload', 'POST', '/api/v1/models', 'application/json', model(deepObject)],
    ['a DTDL model upload (arrays)', 'POST', '/api/v1/models', 'application/json', model(deepArray)],
    [
      'a twin',
      'PUT',
      '/api/v1/twins/P%2Fdeep',
      'application/json',
      `{"$metadata":{"$model":"dtmi:test:Machine;1"},"name":${deepArray}}`,
    ],
    [
      'a JSON Patch',
      'PATCH',
      '/api/v1/twins/P%2Fdeep',
      'application/json-patch+json',
      `[{"op":"add","path":"/name","value":${deepArray}}]`,
    ],
    ['a query', 'POST', '/api/v1/query', 'application/json; charset=utf-8', `{"query":${deepArray}}`],
    ['an import', 'POST', '/api/v1/import', 'application/json', `{"twins":${deepArray}}`],
  ])('are refused in %s with 400 IMV_REQUEST_JSON_TOO_DEEP', async (_what, method, path, type, body) => {
    expect(await send(method, path, type, body)).toMatchObject({
      status: 400,
      code: 'IMV_REQUEST_JSON_TOO_DEEP',
      detail: expect.stringContaining('deeper than 64 levels'),
    });
  });

  it('leave shallower bodies to the route, brackets inside strings included', async () => {
    const res = await p.api('/api/v1/twins/P%2Fshallow', {
      method: 'PUT',
      json: { $metadata: { $model: 'dtmi:test:Machine;1' }, name: '['.repeat(1000) },
    });
    expect(res.status).toBe(201);
  });

  it('are counted as refusals on /metrics', async () => {
    const metrics = await (await p.api('/metrics')).text();
    expect(metrics).toMatch(/imverse_refusals_total\{edge="http",code="IMV_REQUEST_JSON_TOO_DEEP"\} [1-9]/);
  });
});

describe('deeply nested plant files', () => {
  it.each([
    ['YAML flow collections', 'application/yaml', `imverse: plant/1\nprefix: P\ntwins:\n  a: ${deepArray}`],
    ['YAML block sequences', 'application/yaml', `${'- '.repeat(DEPTH)}x`],
    ['JSON text', 'application/json', deepArray],
  ])('in %s answer 400 naming the nesting, not a stack overflow', async (_what, type, body) => {
    const answer = await send('POST', '/api/v1/plant/apply?dryRun=true', type, body);
    expect(answer).toMatchObject({ status: 400, code: 'IMV_IMPORT_INVALID' });
    expect(answer.detail).toMatch(/deeper than \d+ levels/);
    expect(answer.detail).not.toMatch(/call stack|RangeError/);
  });

  it('in a study answer 400 too', async () => {
    const res = await p.api('/api/v1/studies', {
      method: 'POST',
      json: { plant: `imverse: plant/1\nprefix: P\ntwins:\n  a: ${'['.repeat(5000)}`, horizon: '1d' },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).not.toMatch(/call stack|RangeError/);
  });
});
