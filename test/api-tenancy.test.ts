// Tenants: a token limited to identifier prefixes sees and changes only twins under them.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
let acme: string; // writer limited to 88.100.1
let acmeAdmin: string; // admin limited to 88.100.1
const enc = encodeURIComponent;
const machine = { $metadata: { $model: 'dtmi:test:Machine;1' } };
const line = { $metadata: { $model: 'dtmi:test:Line;1' } };

async function token(body: Record<string, unknown>, as?: string): Promise<Response> {
  return p.api('/api/v1/tokens', { method: 'POST', json: body, ...(as ? { token: as } : {}) });
}

beforeAll(async () => {
  p = await startTestPlatform();
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
  const imported = await p.api('/api/v1/import', {
    method: 'POST',
    json: {
      twins: [
        { $dtId: '88.100.1/line', ...line },
        { $dtId: '88.100.1/m1', ...machine },
        { $dtId: '88.200.2/line', ...line },
        { $dtId: '88.200.2/m1', ...machine },
      ],
      relationships: [
        {
          $relationshipId: 'c1',
          $sourceId: '88.100.1/line',
          $relationshipName: 'contains',
          $targetId: '88.100.1/m1',
        },
        {
          $relationshipId: 'c2',
          $sourceId: '88.100.1/line',
          $relationshipName: 'contains',
          $targetId: '88.200.2/m1',
        },
        {
          $relationshipId: 'c1',
          $sourceId: '88.200.2/line',
          $relationshipName: 'contains',
          $targetId: '88.200.2/m1',
        },
      ],
    },
  });
  expect(imported.status).toBe(200);
  const created = async (body: Record<string, unknown>) => {
    const res = await token(body);
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };
  acme = await created({ name: 'acme', role: 'writer', prefixes: ['88.100.1'] });
  acmeAdmin = await created({ name: 'acme admin', role: 'admin', prefixes: ['88.100.1'] });
});
afterAll(async () => p.close());

const query = async (text: string, as: string) =>
  (
    (await (await p.api('/api/v1/query', { method: 'POST', json: { query: text }, token: as })).json()) as {
      value: any[];
    }
  ).value;

describe('prefix-scoped tokens', () => {
  it('read twins under their prefixes only; outside, the answer is the same whether the twin exists or not', async () => {
    expect((await p.api(`/api/v1/twins/${enc('88.100.1/m1')}`, { token: acme })).status).toBe(200);
    for (const id of ['88.200.2/m1', '88.200.2/does-not-exist']) {
      const res = await p.api(`/api/v1/twins/${enc(id)}`, { token: acme });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'IMV_AUTH_FORBIDDEN', path: '/$dtId' });
    }
    expect((await p.api('/api/v1/resolve/88.200.2/m1', { token: acme })).status).toBe(403);
  });

  it('see only their own twins in queries, joins, counts and relationship queries', async () => {
    const all = await query('SELECT * FROM DIGITALTWINS', acme);
    expect(all.map((t) => t.$dtId).sort()).toEqual(['88.100.1/line', '88.100.1/m1']);
    expect(await query('SELECT COUNT() FROM DIGITALTWINS', acme)).toEqual([{ COUNT: 2 }]);
    expect(await query('SELECT COUNT() FROM DIGITALTWINS', p.token)).toEqual([{ COUNT: 4 }]);
    const joined = await query(
      "SELECT C FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = '88.100.1/line'",
      acme,
    );
    expect(joined.map((r) => r.C.$dtId)).toEqual(['88.100.1/m1']);
    const rels = await query('SELECT * FROM RELATIONSHIPS', acme);
    expect(rels.map((r) => `${r.$sourceId}>${r.$targetId}`)).toEqual(['88.100.1/line>88.100.1/m1']);
  });

  it('do not list or traverse into other tenants', async () => {
    const out = (await (
      await p.api(`/api/v1/twins/${enc('88.100.1/line')}/relationships`, { token: acme })
    ).json()) as {
      value: any[];
    };
    expect(out.value.map((r) => r.$targetId)).toEqual(['88.100.1/m1']);
    const down = (await (
      await p.api(`/api/v1/twins/${enc('88.100.1/line')}/traverse`, { token: acme })
    ).json()) as {
      value: any[];
    };
    expect(down.value.map((t) => t.twin.$dtId)).toEqual(['88.100.1/m1']);
  });

  it('cannot create twins, relationships or imports outside their prefixes', async () => {
    const put = await p.api(`/api/v1/twins/${enc('88.200.2/m9')}`, {
      method: 'PUT',
      json: machine,
      token: acme,
    });
    expect(put.status).toBe(403);
    const rel = await p.api(`/api/v1/twins/${enc('88.100.1/m1')}/relationships/f`, {
      method: 'PUT',
      json: { $relationshipName: 'feeds', $targetId: '88.200.2/m1' },
      token: acme,
    });
    expect(await rel.json()).toMatchObject({ code: 'IMV_AUTH_FORBIDDEN', path: '/$targetId' });
    const imported = await p.api('/api/v1/import', {
      method: 'POST',
      json: { twins: [{ $dtId: '88.200.2/m8', ...machine }] },
      token: acme,
    });
    expect(await imported.json()).toMatchObject({
      code: 'IMV_IMPORT_INVALID',
      issues: [{ path: '/twins/0/id', rule: 'IMV_AUTH_FORBIDDEN' }],
    });
    expect((await p.api(`/api/v1/twins/${enc('88.200.2/m9')}`)).status).toBe(404);
  });

  it('give a scoped admin no platform powers and no way out of its scope', async () => {
    expect((await p.api('/api/v1/models', { method: 'POST', json: [], token: acmeAdmin })).status).toBe(403);
    // It sees and revokes only its tenant's tokens: not the platform admin's, nor another tenant's.
    const listed = (await (await p.api('/api/v1/tokens', { token: acmeAdmin })).json()) as {
      value: Array<{ id: string; prefixes?: string[] }>;
    };
    expect(listed.value.length).toBeGreaterThan(0);
    expect(listed.value.every((info) => info.prefixes?.every((prefix) => prefix === '88.100.1'))).toBe(true);
    const all = (await (await p.api('/api/v1/tokens')).json()) as {
      value: Array<{ id: string; prefixes?: string[] }>;
    };
    const platformToken = all.value.find((info) => info.prefixes === undefined)!;
    const revoke = await p.api(`/api/v1/tokens/${platformToken.id}`, { method: 'DELETE', token: acmeAdmin });
    expect(revoke.status).toBe(404);
    expect((await token({ name: 'x', role: 'reader' }, acmeAdmin)).status).toBe(403);
    expect((await token({ name: 'x', role: 'reader', prefixes: ['88.200.2'] }, acmeAdmin)).status).toBe(403);
    expect((await token({ name: 'x', role: 'reader', prefixes: ['88.100.1'] }, acmeAdmin)).status).toBe(201);
    const bad = await token({ name: 'x', role: 'reader', prefixes: ['no/slash'] });
    expect(await bad.json()).toMatchObject({ code: 'IMV_REQUEST_INVALID', path: '/prefixes/0' });
  });

  it('stream only their tenants’ events', async () => {
    const ws = new WebSocket(`${p.url.replace('http', 'ws')}/api/v1/live?access_token=${acme}`);
    const messages: any[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'subscribe', id: 'all', filter: {} }));
    await expect.poll(() => messages.length).toBe(1);
    const patch = (id: string) =>
      p.api(`/api/v1/twins/${enc(id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json' },
        body: JSON.stringify([{ op: 'add', path: '/speed', value: 1 }]),
      });
    await patch('88.200.2/m1');
    await patch('88.100.1/m1');
    await expect.poll(() => messages.length).toBe(2);
    expect(messages[1].event.subject).toBe('88.100.1/m1');
    ws.close();
  });
});
