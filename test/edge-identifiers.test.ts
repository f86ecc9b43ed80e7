// Identifiers that look alike are one twin or none: NFC and NFD spellings reach the same twin, and
// bidirectional controls, invisible characters, look-alike slashes and dots and dot segments are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
const machine = { $metadata: { $model: 'dtmi:test:Machine;1' } };
const NFC = '88.100.1/k\u00FChler-1';
const NFD = '88.100.1/ku\u0308hler-1';
const twin = (id: string) => `/api/v1/twins/${encodeURIComponent(id)}`;

beforeAll(async () => {
  p = await startTestPlatform();
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
});
afterAll(async () => p?.close());

describe('identifiers at the API', () => {
  it('reach one twin from the composed and the decomposed spelling', async () => {
    expect((await p.api(twin(NFD), { method: 'PUT', json: machine })).status).toBe(201);
    const read = await p.api(twin(NFC));
    expect(read.status).toBe(200);
    expect(((await read.json()) as { $dtId: string }).$dtId).toBe(NFC);
    const again = await p.api(twin(NFC), {
      method: 'PUT',
      json: machine,
      headers: { 'if-none-match': '*' },
    });
    expect(again.status).toBe(409);
    const page = (await (await p.api('/api/v1/twins')).json()) as { value: { $dtId: string }[] };
    expect(page.value.map((t) => t.$dtId)).toEqual([NFC]);
  });

  it.each([
    ['a bidirectional override', '88.100.1/press\u202Egpj.exe', 'bidirectional control U+202E'],
    ['a zero-width space', '88.100.1/press\u200B07', 'invisible character U+200B'],
    ['a fullwidth solidus', '88.100.1/line-1\uFF0Fpress', 'U+FF0F'],
    ['a division slash', '88.100.1/line-1\u2215press', 'U+2215'],
    ['a ".." segment', '88.100.1/line-1/../line-2', '".." path segment'],
  ])('refuse %s with IMV_ID_MALFORMED', async (_what, id, reason) => {
    const res = await p.api(twin(id), { method: 'PUT', json: machine });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('IMV_ID_MALFORMED');
    expect(problem.detail).toContain(reason);
    expect(problem.detail).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B]/);
  });
});
