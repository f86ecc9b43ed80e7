// The collaboration rooms' defences: a revoked token's sockets are closed; readers join rooms but do
// not create them; a tenant's rooms, a room's document and each edit are bounded (and the room stays
// usable); names and roles on presence and notes are the server's, not what the browser claims.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { Doc, encodeStateAsUpdate } from 'yjs';
import { makeEvent } from '../src/core/events.js';
import { SECURITY_EVENT_TYPES, type SecurityEventData } from '../src/core/wire.js';
import { encodeAwareness } from '../src/server/collab/awareness-codec.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';
import { closed, createToken, openSocket, refusals, upgradeStatus, wsUrl } from './helpers/sockets.js';

const MAX_ROOMS = 3;
const MAX_DOCUMENT = 16 * 1024;
const MAX_UPDATE = 4 * 1024;
let p: TestPlatform;
let demo: TestPlatform;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  p = await startTestPlatform({
    collabMaxRoomsPerTenant: MAX_ROOMS,
    collabMaxDocumentBytes: MAX_DOCUMENT,
    collabMaxUpdateBytes: MAX_UPDATE,
  });
  demo = await startTestPlatform({ demo: true });
});
afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await p?.close();
  await demo?.close();
});

function join(
  platform: TestPlatform,
  room: string,
  token?: string,
): { doc: Doc; provider: WebsocketProvider } {
  const doc = new Doc();
  const provider = new WebsocketProvider(
    `${platform.url.replace('http', 'ws')}/api/v1/world/collab`,
    room,
    doc,
    {
      params: token === undefined ? {} : { access_token: token },
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

const collabUrl = (platform: TestPlatform, room: string, token?: string) =>
  wsUrl(platform, `/api/v1/world/collab/${room}`, token);

describe('collaboration rooms', () => {
  it('close the sockets of a revoked credential, by event and by DELETE /api/v1/tokens/{id}', async () => {
    const revoked = await createToken(p, { name: 'revoked', role: 'engineer', prefixes: ['88.1'] });
    const socket = await openSocket(collabUrl(p, 'world', revoked.token));
    const before = await refusals(p, 'ws', 'IMV_AUTH_CREDENTIAL_REVOKED');
    const socketClosed = closed(socket);
    await p.platform.core.bus.publish([
      makeEvent<SecurityEventData>(SECURITY_EVENT_TYPES.credentialRevoked, {
        actor: 'test',
        credential: `token:${revoked.id}`,
        action: 'token.revoke',
        result: 'ok',
      }),
    ]);
    expect(await socketClosed).toEqual({ code: 4401, reason: 'IMV_AUTH_CREDENTIAL_REVOKED' });
    expect(await refusals(p, 'ws', 'IMV_AUTH_CREDENTIAL_REVOKED')).toBe(before + 1);

    const deleted = await createToken(p, { name: 'deleted', role: 'engineer', prefixes: ['88.1'] });
    const again = await openSocket(collabUrl(p, 'world', deleted.token));
    const againClosed = closed(again);
    expect((await p.api(`/api/v1/tokens/${deleted.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await againClosed).toMatchObject({ code: 4401 });
  });

  it('let readers join rooms but not create them', async () => {
    const reader = (await createToken(p, { name: 'reader', role: 'viewer', prefixes: ['88.2'] })).token;
    const writer = (await createToken(p, { name: 'writer', role: 'engineer', prefixes: ['88.2'] })).token;
    const before = await refusals(p, 'ws', 'IMV_COLLAB_ROOM_NOT_FOUND');
    expect(await upgradeStatus(collabUrl(p, 'layout.reader-made', reader))).toBe(404);
    expect(await upgradeStatus(collabUrl(p, 'anything', reader))).toBe(404);
    expect(await refusals(p, 'ws', 'IMV_COLLAB_ROOM_NOT_FOUND')).toBe(before + 2);
    // Reading a draft over HTTP does not create its room either.
    expect((await p.api('/api/v1/layouts/drafts/reader-made', { token: reader })).status).toBe(200);
    expect(await upgradeStatus(collabUrl(p, 'layout.reader-made', reader))).toBe(404);
    // Every tenant has its world room, for presence and notes.
    expect(await upgradeStatus(collabUrl(p, 'world', reader))).toBe(101);

    const made = join(p, 'layout.writer-made', writer);
    await until(() => made.provider.synced, 'the writer made the room');
    made.doc.getMap('objects').set('press-07', 1);
    const viewer = join(p, 'layout.writer-made', reader);
    await until(() => viewer.doc.getMap('objects').get('press-07') === 1, 'the reader joined it');
  });

  it('bound the rooms of each tenant, and leave other tenants theirs', async () => {
    const full = (await createToken(p, { name: 'full', role: 'engineer', prefixes: ['88.3'] })).token;
    const other = (await createToken(p, { name: 'other', role: 'engineer', prefixes: ['88.4'] })).token;
    for (let i = 0; i < MAX_ROOMS; i++) {
      const room = join(p, `layout.room-${i}`, full);
      await until(() => room.provider.synced, `room ${i} synced`);
      room.doc.getMap('objects').set('x', i); // stored: it exists after everyone left
    }
    const before = await refusals(p, 'ws', 'IMV_COLLAB_TENANT_ROOM_LIMIT');
    expect(await upgradeStatus(collabUrl(p, 'layout.one-more', full))).toBe(409);
    expect(await refusals(p, 'ws', 'IMV_COLLAB_TENANT_ROOM_LIMIT')).toBe(before + 1);
    const patch = await p.api('/api/v1/layouts/drafts/one-more', {
      method: 'PATCH',
      token: full,
      json: { set: { 'press-07': { x: 1 } } },
    });
    expect(patch.status).toBe(409);
    // Its existing rooms and its world room still open; another tenant still creates rooms.
    expect(await upgradeStatus(collabUrl(p, 'layout.room-0', full))).toBe(101);
    expect(await upgradeStatus(collabUrl(p, 'world', full))).toBe(101);
    expect(await upgradeStatus(collabUrl(p, 'layout.one-more', other))).toBe(101);
  });

  it('refuse edits that are too large or would overfill the document, and stay usable', async () => {
    const writer = (await createToken(p, { name: 'filler', role: 'engineer', prefixes: ['88.5'] })).token;
    const a = join(p, 'layout.big', writer);
    const b = join(p, 'layout.big', writer);
    await until(() => a.provider.synced && b.provider.synced, 'both synced');
    const tooLarge = await refusals(p, 'ws', 'IMV_COLLAB_UPDATE_TOO_LARGE');
    a.doc.getMap('objects').set('huge', 'x'.repeat(MAX_UPDATE * 2));
    await expect.poll(() => refusals(p, 'ws', 'IMV_COLLAB_UPDATE_TOO_LARGE')).toBe(tooLarge + 1);

    // b fills the room, 1 KiB at a time, until the server refuses (bounded: twice the limit at most).
    const full = await refusals(p, 'ws', 'IMV_COLLAB_DOCUMENT_FULL');
    const notes = b.doc.getMap<string>('notes');
    for (let i = 0; i < (2 * MAX_DOCUMENT) / 1024; i++) {
      notes.set(`n${i}`, `${i}`.padEnd(1024, '.'));
      if ((await refusals(p, 'ws', 'IMV_COLLAB_DOCUMENT_FULL')) > full) break;
    }
    expect(await refusals(p, 'ws', 'IMV_COLLAB_DOCUMENT_FULL')).toBe(full + 1);
    // Someone joining now gets the room as the server holds it: within the limit, without the refused.
    const c = join(p, 'layout.big', writer);
    await until(() => c.provider.synced, 'c synced');
    expect(encodeStateAsUpdate(c.doc).byteLength).toBeLessThanOrEqual(MAX_DOCUMENT + MAX_UPDATE);
    expect(c.doc.getMap('objects').has('huge')).toBe(false);
    const kept = c.doc.getMap<string>('notes');
    expect(kept.size).toBeLessThan(notes.size);

    // Deleting is accepted when full, and makes room for a new edit everyone sees.
    for (const key of [...kept.keys()]) kept.delete(key);
    await until(() => a.doc.getMap('notes').size === 0, 'a sees the deletions');
    c.doc.getMap('objects').set('after', 'room again');
    await until(() => a.doc.getMap('objects').get('after') === 'room again', 'a sees the new edit');
  });

  it('refuse draft edits over HTTP that would overfill the document, and accept resets', async () => {
    const writer = (await createToken(p, { name: 'planner', role: 'engineer', prefixes: ['88.8'] })).token;
    const edit = (set: Record<string, unknown>) =>
      p.api('/api/v1/layouts/drafts/crowded', { method: 'PATCH', token: writer, json: { set } });
    const batch = (n: number) =>
      Object.fromEntries(
        Array.from({ length: 100 }, (_, i) => [`88.8/line-1/st-${n}-${i}`, { x: i, y: n, rotation: 90 }]),
      );
    let status = 200;
    for (let n = 0; n < 20 && status === 200; n++) status = (await edit(batch(n))).status;
    expect(status).toBe(413);
    const res = await edit({ '88.8/line-1/st-0-0': null });
    expect(res.status).toBe(200);
  });

  it('stamp name and role on presence, whatever the browser claims', async () => {
    const bob = (await createToken(p, { name: 'Bob', role: 'engineer', prefixes: ['88.6'] })).token;
    const eve = (await createToken(p, { name: 'Eve', role: 'viewer', prefixes: ['88.6'] })).token;
    const a = join(p, 'world', bob);
    const b = join(p, 'world', eve);
    a.provider.awareness.setLocalStateField('user', {
      name: 'Admin',
      role: 'admin',
      colour: '#4fc3f7',
      key: 'aaaa1111',
    });
    b.provider.awareness.setLocalStateField('user', {
      name: 'Bob',
      role: 'admin',
      colour: '#ffb74d',
      key: 'bbbb2222',
    });
    const userOf = (provider: WebsocketProvider, id: number) =>
      provider.awareness.getStates().get(id)?.user as Record<string, unknown> | undefined;
    await until(
      () =>
        userOf(b.provider, a.provider.awareness.clientID) !== undefined &&
        userOf(a.provider, b.provider.awareness.clientID) !== undefined,
      'both see each other',
    );
    expect(userOf(b.provider, a.provider.awareness.clientID)).toEqual({
      name: 'Bob',
      role: 'engineer',
      colour: '#4fc3f7',
      key: 'aaaa1111',
    });
    expect(userOf(a.provider, b.provider.awareness.clientID)).toMatchObject({ name: 'Eve', role: 'viewer' });

    // Eve cannot speak for Bob's client: a state for his id from her connection is not applied.
    const raw = await openSocket(collabUrl(p, 'world', eve));
    const before = await refusals(p, 'ws', 'IMV_COLLAB_MESSAGE_INVALID');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1); // awareness
    encoding.writeVarUint8Array(
      encoder,
      encodeAwareness([
        { clientID: a.provider.awareness.clientID, clock: 1000, state: { user: { name: 'gone' } } },
      ]),
    );
    raw.send(encoding.toUint8Array(encoder));
    await expect.poll(() => refusals(p, 'ws', 'IMV_COLLAB_MESSAGE_INVALID')).toBe(before + 1);
    expect(userOf(b.provider, a.provider.awareness.clientID)).toMatchObject({ name: 'Bob' });
    raw.close();
  });

  it('stamp the author of notes, as everyone and the annotations API see them', async () => {
    const bob = (await createToken(p, { name: 'Bob', role: 'engineer', prefixes: ['88.7'] })).token;
    const reader = (await createToken(p, { name: 'Rita', role: 'viewer', prefixes: ['88.7'] })).token;
    const a = join(p, 'world', bob);
    const b = join(p, 'world', reader);
    await until(() => a.provider.synced && b.provider.synced, 'synced');
    const forged = {
      id: 'note0001',
      twin: '88.7/press-07',
      text: 'Signed by the admin',
      author: { name: 'Plant admin', role: 'admin', colour: '#4fc3f7', key: 'aaaa1111' },
      createdAt: 1,
    };
    a.doc.getMap('annotations').set('note0001', forged);
    const stamped = { ...forged, author: { ...forged.author, name: 'Bob', role: 'engineer' } };
    await until(
      () =>
        (b.doc.getMap('annotations').get('note0001') as { author?: { name?: string } })?.author?.name ===
        'Bob',
      'b sees the note',
    );
    expect(b.doc.getMap('annotations').get('note0001')).toEqual(stamped);
    // The author's own page is corrected too.
    await until(
      () => (a.doc.getMap('annotations').get('note0001') as typeof forged).author.name === 'Bob',
      'a corrected',
    );
    const res = await p.api('/api/v1/world/annotations', { token: reader });
    expect(((await res.json()) as { annotations: unknown[] }).annotations).toEqual([stamped]);
  });

  it('keep a demo visitor’s chosen name, and stamp the demo role', async () => {
    const a = join(demo, 'world');
    const b = join(demo, 'world');
    a.provider.awareness.setLocalStateField('user', {
      name: 'Bea',
      role: 'admin',
      colour: '#4fc3f7',
      key: 'aaaa1111',
    });
    b.provider.awareness.setLocalStateField('user', {
      name: 'Vis',
      role: 'viewer',
      colour: '#ffb74d',
      key: 'bbbb2222',
    });
    const userOf = (provider: WebsocketProvider, id: number) =>
      provider.awareness.getStates().get(id)?.user as Record<string, unknown> | undefined;
    await until(() => userOf(b.provider, a.provider.awareness.clientID) !== undefined, 'b sees a');
    expect(userOf(b.provider, a.provider.awareness.clientID)).toMatchObject({ name: 'Bea', role: 'viewer' });
  });
});
