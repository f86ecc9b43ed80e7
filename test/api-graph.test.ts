// Relationships, traversal, queries, resolution and the live stream over real HTTP and WebSocket.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
const enc = encodeURIComponent;

const twin = (model: string, fields: Record<string, unknown>) => ({
  $metadata: { $model: `dtmi:test:${model};1` },
  ...fields,
});

beforeAll(async () => {
  p = await startTestPlatform();
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
  const res = await p.api('/api/v1/import', {
    method: 'POST',
    json: {
      twins: [
        { $dtId: 'P/line-1', ...twin('Line', { name: 'Line 1' }) },
        { $dtId: 'P/line-1/m1', ...twin('Machine', { name: 'Saw', speed: 1, state: 'running' }) },
        {
          $dtId: 'P/line-1/m2',
          ...twin('Press', { name: 'Press A', speed: 3, state: 'down', tonnage: 200 }),
        },
        {
          $dtId: 'P/line-1/m3',
          ...twin('Press', { name: 'Press B', speed: 5, state: 'running', tonnage: 400 }),
        },
        { $dtId: 'P/line-2', ...twin('Line', { name: 'Line 2' }) },
      ],
      relationships: [
        {
          $relationshipId: 'c1',
          $sourceId: 'P/line-1',
          $relationshipName: 'contains',
          $targetId: 'P/line-1/m1',
        },
        {
          $relationshipId: 'c2',
          $sourceId: 'P/line-1',
          $relationshipName: 'contains',
          $targetId: 'P/line-1/m2',
        },
        {
          $relationshipId: 'c3',
          $sourceId: 'P/line-1',
          $relationshipName: 'contains',
          $targetId: 'P/line-1/m3',
        },
        {
          $relationshipId: 'f1',
          $sourceId: 'P/line-1/m1',
          $relationshipName: 'feeds',
          $targetId: 'P/line-1/m2',
          rate: 2,
        },
        {
          $relationshipId: 'f2',
          $sourceId: 'P/line-1/m2',
          $relationshipName: 'feeds',
          $targetId: 'P/line-1/m3',
          rate: 1,
        },
      ],
    },
  });
  expect(await res.json()).toEqual({ twins: 5, relationships: 5 });
});
afterAll(async () => p.close());

const query = async (text: string, extra: Record<string, unknown> = {}) => {
  const res = await p.api('/api/v1/query', { method: 'POST', json: { query: text, ...extra } });
  expect(res.status).toBe(200);
  return (await res.json()) as { value: any[]; continuationToken: string | null };
};

describe('relationships and traversal', () => {
  it('lists outgoing and incoming relationships', async () => {
    const out = (await (await p.api(`/api/v1/twins/${enc('P/line-1')}/relationships`)).json()) as {
      value: any[];
    };
    expect(out.value.map((r) => r.$targetId)).toEqual(['P/line-1/m1', 'P/line-1/m2', 'P/line-1/m3']);
    const incoming = (await (
      await p.api(`/api/v1/twins/${enc('P/line-1/m2')}/incomingrelationships`)
    ).json()) as {
      value: any[];
    };
    expect(incoming.value.map((r) => r.$relationshipId).sort()).toEqual(['c2', 'f1']);
  });

  it('traverses everything a line contains and what is upstream of a station', async () => {
    const down = (await (
      await p.api(`/api/v1/twins/${enc('P/line-1')}/traverse?relationship=contains`)
    ).json()) as {
      value: Array<{ depth: number; twin: { $dtId: string } }>;
    };
    expect(down.value.map((t) => t.twin.$dtId)).toEqual(['P/line-1/m1', 'P/line-1/m2', 'P/line-1/m3']);
    const up = (await (
      await p.api(`/api/v1/twins/${enc('P/line-1/m3')}/traverse?relationship=feeds&direction=in`)
    ).json()) as { value: Array<{ depth: number; twin: { $dtId: string } }> };
    expect(up.value.map((t) => [t.twin.$dtId, t.depth])).toEqual([
      ['P/line-1/m2', 1],
      ['P/line-1/m1', 2],
    ]);
  });

  it('rejects a relationship the model does not declare, and one to the wrong model', async () => {
    let res = await p.api(`/api/v1/twins/${enc('P/line-1/m1')}/relationships/x`, {
      method: 'PUT',
      json: { $relationshipName: 'owns', $targetId: 'P/line-2' },
    });
    expect(await res.json()).toMatchObject({ code: 'IMV_RELATIONSHIP_INVALID', path: '/$relationshipName' });
    res = await p.api(`/api/v1/twins/${enc('P/line-1/m1')}/relationships/x`, {
      method: 'PUT',
      json: { $relationshipName: 'feeds', $targetId: 'P/line-2' },
    });
    expect(await res.json()).toMatchObject({ code: 'IMV_RELATIONSHIP_INVALID', path: '/$targetId' });
  });
});

describe('bulk import', () => {
  it('refuses a batch that breaks a maxMultiplicity, and stores none of it', async () => {
    const res = await p.api('/api/v1/import', {
      method: 'POST',
      json: {
        twins: [{ $dtId: 'P/new-m', ...twin('Machine', {}) }],
        relationships: [
          {
            $relationshipId: 'l1',
            $sourceId: 'P/new-m',
            $relationshipName: 'locatedIn',
            $targetId: 'P/line-1',
          },
          {
            $relationshipId: 'l2',
            $sourceId: 'P/new-m',
            $relationshipName: 'locatedIn',
            $targetId: 'P/line-2',
          },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'IMV_IMPORT_INVALID',
      issues: [{ path: '/relationships/1/name' }],
    });
    expect((await p.api(`/api/v1/twins/${enc('P/new-m')}`)).status).toBe(404);
  });

  it('refuses relationships from stored twins that their model does not declare', async () => {
    const res = await p.api('/api/v1/import', {
      method: 'POST',
      json: {
        twins: [],
        relationships: [
          {
            $relationshipId: 'x',
            $sourceId: 'P/line-1/m1',
            $relationshipName: 'owns',
            $targetId: 'P/line-2',
          },
        ],
      },
    });
    expect(await res.json()).toMatchObject({
      code: 'IMV_IMPORT_INVALID',
      issues: [{ path: '/relationships/0/name' }],
    });
  });
});

describe('queries', () => {
  it('refuses a continuation token from another listing', async () => {
    const rels = (await (
      await p.api(`/api/v1/twins/${enc('P/line-1')}/relationships?pageSize=1`)
    ).json()) as {
      continuationToken: string;
    };
    const res = await p.api('/api/v1/query', {
      method: 'POST',
      json: { continuationToken: rels.continuationToken },
    });
    expect(await res.json()).toMatchObject({ code: 'IMV_CONTINUATION_INVALID' });
  });

  it('finds twins by model, following extends', async () => {
    const all = await query("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Machine;1')");
    expect(all.value.map((t) => t.$dtId).sort()).toEqual(['P/line-1/m1', 'P/line-1/m2', 'P/line-1/m3']);
    const exact = await query("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Machine;1', exact)");
    expect(exact.value.map((t) => t.$dtId)).toEqual(['P/line-1/m1']);
  });

  it('filters by properties and counts', async () => {
    const fast = await query(
      "SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL('dtmi:test:Press;1') AND T.speed > 4",
    );
    expect(fast.value.map((t) => t.$dtId)).toEqual(['P/line-1/m3']);
    const count = await query("SELECT COUNT() FROM DIGITALTWINS T WHERE T.state = 'running'");
    expect(count.value).toEqual([{ COUNT: 2 }]);
  });

  it('joins over relationships', async () => {
    const result = await query(
      "SELECT C FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'P/line-1' AND C.state = 'down'",
    );
    expect(result.value).toHaveLength(1);
    expect(JSON.stringify(result.value[0])).toContain('P/line-1/m2');
  });

  it('pages with continuation tokens', async () => {
    const first = await query('SELECT * FROM DIGITALTWINS', { pageSize: 2 });
    expect(first.value).toHaveLength(2);
    expect(first.continuationToken).toEqual(expect.any(String));
    const ids = first.value.map((t) => t.$dtId);
    let token = first.continuationToken;
    while (token !== null) {
      const res = await p.api('/api/v1/query', { method: 'POST', json: { continuationToken: token } });
      const page = (await res.json()) as { value: any[]; continuationToken: string | null };
      ids.push(...page.value.map((t) => t.$dtId));
      token = page.continuationToken;
    }
    expect(ids.sort()).toEqual(['P/line-1', 'P/line-1/m1', 'P/line-1/m2', 'P/line-1/m3', 'P/line-2']);
  });

  it('reports a syntax error with its position', async () => {
    const res = await p.api('/api/v1/query', {
      method: 'POST',
      json: { query: 'SELECT * FROM DIGITALTWINS WHERE' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'IMV_QUERY_SYNTAX',
      path: expect.stringMatching(/^@\d+$/),
    });
  });
});

describe('identity resolution', () => {
  it('resolves an identifier in the Handle REST response shape', async () => {
    const res = await p.api('/api/v1/resolve/P/line-1/m2');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { responseCode: number; handle: string; values: any[] };
    expect(body.responseCode).toBe(1);
    expect(body.handle).toBe('P/line-1/m2');
    expect(body.values.map((v) => v.type)).toEqual(['URL', 'IMV_TWIN', 'IMV_MODEL', 'NAME']);
    expect(body.values[0]).toMatchObject({
      index: 1,
      data: { format: 'string', value: expect.stringContaining('/world?twin=') },
    });
    expect(body.values[2].data.value).toBe('dtmi:test:Press;1');
  });

  it('answers 404 for an unknown identifier and 400 for a malformed one', async () => {
    expect((await p.api('/api/v1/resolve/P/nothing')).status).toBe(404);
    expect(await (await p.api('/api/v1/resolve/nothing')).json()).toMatchObject({ code: 'IMV_ID_MALFORMED' });
  });
});

describe('live stream', () => {
  function connect(token = p.token): Promise<{ ws: WebSocket; next: () => Promise<any> }> {
    const ws = new WebSocket(`${p.url.replace('http', 'ws')}/api/v1/live?access_token=${token}`);
    const queue: any[] = [];
    const waiters: Array<(m: any) => void> = [];
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    });
    const next = () =>
      new Promise<any>((resolve, reject) => {
        const queued = queue.shift();
        if (queued !== undefined) return resolve(queued);
        const timer = setTimeout(() => reject(new Error('no message within 5 s')), 5000);
        waiters.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve({ ws, next }));
      ws.once('error', reject);
    });
  }

  it('delivers only the events each subscription asks for', async () => {
    const { ws, next } = await connect();
    ws.send(JSON.stringify({ type: 'subscribe', id: 'one', filter: { twins: ['P/line-1/m3'] } }));
    expect(await next()).toEqual({ type: 'subscribed', id: 'one' });
    ws.send(JSON.stringify({ type: 'subscribe', id: 'line2', filter: { subtree: 'P/line-2' } }));
    expect(await next()).toEqual({ type: 'subscribed', id: 'line2' });

    const patch = (id: string, value: number) =>
      p.api(`/api/v1/twins/${enc(id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json' },
        body: JSON.stringify([{ op: 'replace', path: '/speed', value }]),
      });
    await patch('P/line-1/m1', 7); // matches neither subscription
    await patch('P/line-1/m3', 8);
    const message = await next();
    expect(message).toMatchObject({
      type: 'event',
      subscription: 'one',
      event: {
        specversion: '1.0',
        type: 'io.imverse.twin.updated',
        subject: 'P/line-1/m3',
        twinmodel: 'dtmi:test:Press;1',
      },
    });
    expect(message.event.data.twin.speed).toBe(8);
    ws.close();
  });

  it('follows a subtree as twins are added to it', async () => {
    const { ws, next } = await connect();
    ws.send(
      JSON.stringify({
        type: 'subscribe',
        id: 's',
        filter: { subtree: 'P/line-2', types: ['io.imverse.twin.updated'] },
      }),
    );
    expect(await next()).toEqual({ type: 'subscribed', id: 's' });
    await p.api(`/api/v1/twins/${enc('P/line-2/m9')}`, {
      method: 'PUT',
      json: twin('Machine', { speed: 1 }),
    });
    await p.api(`/api/v1/twins/${enc('P/line-2')}/relationships/c9`, {
      method: 'PUT',
      json: { $relationshipName: 'contains', $targetId: 'P/line-2/m9' },
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the gateway recomputes subtrees asynchronously
    await p.api(`/api/v1/twins/${enc('P/line-2/m9')}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'replace', path: '/speed', value: 2 }]),
    });
    expect(await next()).toMatchObject({
      type: 'event',
      subscription: 's',
      event: { subject: 'P/line-2/m9' },
    });
    ws.close();
  });

  it('answers bad messages with an error and stays open', async () => {
    const { ws, next } = await connect();
    ws.send('not json');
    expect(await next()).toMatchObject({ type: 'error', code: 'IMV_REQUEST_INVALID_JSON' });
    ws.send(JSON.stringify({ type: 'subscribe', id: 'x', filter: { models: ['dtmi:test:Nope;1'] } }));
    expect(await next()).toMatchObject({ type: 'error', code: 'IMV_MODEL_NOT_FOUND', id: 'x' });
    ws.send(JSON.stringify({ type: 'ping' }));
    expect(await next()).toEqual({ type: 'pong' });
    ws.close();
  });

  it('refuses a connection without a token', async () => {
    await expect(connect('wrong')).rejects.toThrow(/401/);
  });
});
