// Dead letters per tenant: a token limited to prefixes sees only the letters of its own twins, in
// full pages; letters without a twin (malformed, refused for scope) are for unrestricted callers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
let acme: string; // reader limited to 88.100.1
let globex: string; // writer limited to 88.200.2
const machine = { $metadata: { $model: 'dtmi:test:Machine;1' } };

interface Letter {
  id: number;
  code: string;
  twin?: string;
}

async function letters(query: string, token?: string): Promise<Letter[]> {
  const res = await p.api(`/api/v1/ingest/dead-letters${query}`, token ? { token } : {});
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: Letter[] }).value;
}

/** Every letter the caller may see, page by page (before=<last id>), with the size of each page. */
async function allPages(limit: number, token: string): Promise<{ ids: number[]; sizes: number[] }> {
  const ids: number[] = [];
  const sizes: number[] = [];
  for (let page = 0; page < 20; page++) {
    const before = ids.length === 0 ? '' : `&before=${ids.at(-1)}`;
    const value = await letters(`?limit=${limit}${before}`, token);
    if (value.length === 0) break;
    sizes.push(value.length);
    ids.push(...value.map((l) => l.id));
  }
  return { ids, sizes };
}

beforeAll(async () => {
  p = await startTestPlatform();
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
  const imported = await p.api('/api/v1/import', {
    method: 'POST',
    json: {
      twins: [
        { $dtId: '88.100.1/m1', ...machine },
        { $dtId: '88.200.2/m1', ...machine },
      ],
    },
  });
  expect(imported.status).toBe(200);
  const create = async (body: Record<string, unknown>): Promise<string> => {
    const res = await p.api('/api/v1/tokens', { method: 'POST', json: body });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };
  acme = await create({ name: 'acme', role: 'reader', prefixes: ['88.100.1'] });
  globex = await create({ name: 'globex', role: 'writer', prefixes: ['88.200.2'] });

  // Letters of both tenants, interleaved, so that a page filtered after reading would come up short.
  const points = [];
  for (let i = 0; i < 5; i++) {
    points.push({ twin: '88.100.1/m1', field: `unknown${i}`, value: 1 });
    points.push({ twin: '88.200.2/m1', field: `unknown${i}`, value: 1 });
    points.push({ twin: '88.200.2/m1', field: 'speed', value: 'fast' });
  }
  points.push({ twin: 'not an identifier', field: 'speed', value: 1 });
  const res = await p.api('/api/v1/ingest', { method: 'POST', json: { points } });
  expect(res.status).toBe(200);
  // globex tries a twin of acme's: refused for its scope, a letter with no twin of anyone's.
  const trespass = await p.api('/api/v1/ingest', {
    method: 'POST',
    json: { points: [{ twin: '88.100.1/m1', field: 'speed', value: 2 }] },
    token: globex,
  });
  expect(((await trespass.json()) as { rejected: Letter[] }).rejected).toEqual([
    expect.objectContaining({ code: 'IMV_AUTH_FORBIDDEN' }),
  ]);
  await p.platform.core.ingest.drain();
});
afterAll(async () => p?.close());

describe('dead letters per tenant', () => {
  it('show a tenant only the letters of twins under its prefixes', async () => {
    const own = await letters('?limit=1000', acme);
    expect(own).toHaveLength(5);
    expect(own.every((l) => l.twin === '88.100.1/m1' && l.code === 'IMV_INGEST_FIELD_UNKNOWN')).toBe(true);

    const theirs = await letters('?limit=1000', globex);
    expect(theirs).toHaveLength(10);
    expect(theirs.every((l) => l.twin === '88.200.2/m1')).toBe(true);
    expect(await letters('?code=IMV_INGEST_VALUE_INVALID&limit=1000', globex)).toHaveLength(5);
    expect(await letters('?code=IMV_INGEST_VALUE_INVALID&limit=1000', acme)).toHaveLength(0);
  });

  it('keep letters without a twin for callers limited to no prefixes', async () => {
    const all = await letters('?limit=1000');
    expect(all).toHaveLength(17);
    const withoutTwin = all.filter((l) => l.twin === undefined);
    expect(withoutTwin.map((l) => l.code).sort()).toEqual(['IMV_AUTH_FORBIDDEN', 'IMV_INGEST_TWIN_UNKNOWN']);
    for (const token of [acme, globex]) {
      expect(await letters('?code=IMV_AUTH_FORBIDDEN', token)).toEqual([]);
      expect(await letters('?code=IMV_INGEST_TWIN_UNKNOWN', token)).toEqual([]);
    }
  });

  it('fill every page with the tenant’s own letters, so paging back finds them all', async () => {
    const { ids, sizes } = await allPages(2, acme);
    expect(sizes).toEqual([2, 2, 1]);
    expect(ids).toEqual((await letters('?limit=1000', acme)).map((l) => l.id));
  });
});
