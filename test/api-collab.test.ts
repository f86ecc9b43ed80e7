// The collaboration WebSocket: Yjs documents and presence shared between people through a real
// platform, with y-websocket clients as browsers use them; viewers cannot edit; edits survive restarts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { Doc } from 'yjs';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
let dataDir: string;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'imverse-collab-'));
  p = await startTestPlatform({ dataDir });
});
afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await p?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function join_(
  platform: TestPlatform,
  room: string,
  token: string,
): { doc: Doc; provider: WebsocketProvider } {
  const doc = new Doc();
  const provider = new WebsocketProvider(
    `${platform.url.replace('http', 'ws')}/api/v1/world/collab`,
    room,
    doc,
    {
      params: { access_token: token },
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
    },
  );
  providers.push(provider);
  return { doc, provider };
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function token(platform: TestPlatform, body: object): Promise<string> {
  const res = await platform.api('/api/v1/tokens', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

describe('collaboration rooms', () => {
  it('share a document between two people, both ways', async () => {
    const a = join_(p, 'world', p.token);
    const b = join_(p, 'world', p.token);
    await until(() => a.provider.synced && b.provider.synced, 'both are synced');
    a.doc.getMap('notes').set('press-07', 'check the guard');
    await until(() => b.doc.getMap('notes').get('press-07') === 'check the guard', 'b sees a’s note');
    b.doc.getMap('notes').set('press-08', 'ok');
    await until(() => a.doc.getMap('notes').get('press-08') === 'ok', 'a sees b’s note');
  });

  it('share presence under the names of their tokens, and forget a person who leaves', async () => {
    const reader = await token(p, { name: 'visitor', role: 'viewer' });
    const a = join_(p, 'world', p.token);
    const b = join_(p, 'world', reader);
    // The server stamps each token's name over the one a page sends (ws-collab.test.ts tests more).
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    b.provider.awareness.setLocalStateField('user', { name: 'Vis' });
    const names = (provider: WebsocketProvider): string[] =>
      [...provider.awareness.getStates().values()].map((s) => (s.user as { name?: string })?.name ?? '');
    await until(
      () => names(b.provider).includes('admin (first start)') && names(a.provider).includes('visitor'),
      'both see each other',
    );
    const bId = b.provider.awareness.clientID;
    b.provider.disconnect();
    await until(() => !a.provider.awareness.getStates().has(bId), 'a no longer sees b');
  });

  it('do not apply edits from a reader, who still receives everyone else’s', async () => {
    const reader = await token(p, { name: 'viewer', role: 'viewer' });
    const writer = join_(p, 'layout.plan-a', p.token);
    // Readers join rooms that exist; the writer's joining made it.
    await until(() => writer.provider.synced, 'the writer is in');
    const viewer = join_(p, 'layout.plan-a', reader);
    await until(() => viewer.provider.synced, 'synced');
    viewer.doc.getMap('objects').set('intruder', 1);
    writer.doc.getMap('objects').set('press-07', 2);
    await until(
      () => viewer.doc.getMap('objects').get('press-07') === 2,
      'the viewer sees the writer’s edit',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(writer.doc.getMap('objects').has('intruder')).toBe(false);
    const metrics = await (await p.api('/metrics')).text();
    expect(metrics).toMatch(/imverse_collab_refused\{reason="edit_not_allowed"\} [1-9]/);
  });

  it('keep each tenant’s rooms apart', async () => {
    const acme = await token(p, { name: 'acme', role: 'engineer', prefixes: ['88.100.1'] });
    const other = await token(p, { name: 'other', role: 'engineer', prefixes: ['88.200.1'] });
    const a = join_(p, 'world', acme);
    const b = join_(p, 'world', other);
    await until(() => a.provider.synced && b.provider.synced, 'synced');
    a.doc.getMap('notes').set('secret', 'acme only');
    b.doc.getMap('notes').set('mine', 'other');
    await until(() => a.doc.getMap('notes').size > 0 && b.doc.getMap('notes').size > 0, 'both wrote');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(b.doc.getMap('notes').has('secret')).toBe(false);
    expect(a.doc.getMap('notes').has('press-07')).toBe(false);
  });

  it('refuse bad room names and unauthenticated callers before the upgrade', async () => {
    const refusal = (path: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`${p.url.replace('http', 'ws')}${path}`);
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => reject(new Error(`${path} was accepted`)));
        socket.on('error', () => {});
      });
    expect(await refusal(`/api/v1/world/collab/..%2Fetc?access_token=${p.token}`)).toBe(400);
    expect(await refusal('/api/v1/world/collab/world')).toBe(401);
    const anonymous = await p.api('/api/v1/world/me', { token: null });
    expect(anonymous.status).toBe(401);
  });

  it('close a connection that sends garbage, and keep the room working for others', async () => {
    const a = join_(p, 'garbage-test', p.token);
    await until(() => a.provider.synced, 'synced');
    const raw = new WebSocket(
      `${p.url.replace('http', 'ws')}/api/v1/world/collab/garbage-test?access_token=${p.token}`,
    );
    const closed = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
    await new Promise((resolve) => raw.on('open', resolve));
    raw.send(Buffer.from([7, 1, 2, 3]));
    expect(await closed).toBe(1007);
    expect(await (await p.api('/metrics')).text()).toMatch(
      /imverse_collab_refused\{reason="invalid_message"\} [1-9]/,
    );
    const b = join_(p, 'garbage-test', p.token);
    a.doc.getMap('m').set('still', 'works');
    await until(() => b.doc.getMap('m').get('still') === 'works', 'the room still works');
  });

  it('tell callers who they are and whether they may edit', async () => {
    const reader = await token(p, { name: 'who', role: 'viewer' });
    expect(await (await p.api('/api/v1/world/me', { token: reader })).json()).toMatchObject({
      name: 'who',
      role: 'viewer',
      canCollaborate: false,
    });
    expect(await (await p.api('/api/v1/world/me')).json()).toMatchObject({
      role: 'admin',
      canCollaborate: true,
    });
  });

  it('keep a room’s document across a restart', async () => {
    const a = join_(p, 'layout.keep', p.token);
    await until(() => a.provider.synced, 'synced');
    a.doc.getMap('objects').set('press-07', { x: 12, y: 4 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const provider of providers.splice(0)) provider.destroy();
    await p.close();
    const admin = p.token; // printed on first start only
    p = await startTestPlatform({ dataDir });
    const b = join_(p, 'layout.keep', admin);
    await until(() => b.provider.synced, 'synced after restart');
    expect(b.doc.getMap('objects').get('press-07')).toEqual({ x: 12, y: 4 });
  });
});
