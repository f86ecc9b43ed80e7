// The live stream's defences: a revoked token's sockets are closed, security events never reach a
// viewer, and many subscribe messages at once cannot pass the per-connection subscription limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { makeEvent } from '../src/core/events.js';
import { EVENT_TYPES, SECURITY_EVENT_TYPES, type SecurityEventData } from '../src/core/wire.js';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';
import { closed, createToken, openSocket, refusals, wsUrl } from './helpers/sockets.js';

const LIMIT = 4;
let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform({ liveMaxSubscriptions: LIMIT });
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
  for (const id of ['L/line', 'L/press']) {
    const model = id === 'L/line' ? 'dtmi:test:Line;1' : 'dtmi:test:Machine;1';
    const res = await p.api(`/api/v1/twins/${encodeURIComponent(id)}`, {
      method: 'PUT',
      json: { $metadata: { $model: model } },
    });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => p?.close());

function messagesOf(socket: WebSocket): Array<Record<string, unknown>> {
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  return messages;
}

const revocation = (credential: string) =>
  makeEvent<SecurityEventData>(SECURITY_EVENT_TYPES.credentialRevoked, {
    actor: 'test',
    credential,
    action: 'token.revoke',
    result: 'ok',
  });

describe('live stream', () => {
  it('closes the sockets of a revoked credential and leaves the others open', async () => {
    const revoked = await createToken(p, { name: 'soon revoked', role: 'viewer' });
    const kept = await createToken(p, { name: 'kept', role: 'viewer' });
    const a = await openSocket(wsUrl(p, '/api/v1/live', revoked.token));
    const b = await openSocket(wsUrl(p, '/api/v1/live', revoked.token));
    const other = await openSocket(wsUrl(p, '/api/v1/live', kept.token));
    const before = await refusals(p, 'ws', 'IMV_AUTH_CREDENTIAL_REVOKED');
    const aClosed = closed(a);
    const bClosed = closed(b);
    await p.platform.core.bus.publish([revocation(`token:${revoked.id}`)]);
    expect(await aClosed).toEqual({ code: 4401, reason: 'IMV_AUTH_CREDENTIAL_REVOKED' });
    expect(await bClosed).toMatchObject({ code: 4401 });
    expect(await refusals(p, 'ws', 'IMV_AUTH_CREDENTIAL_REVOKED')).toBe(before + 2);
    const messages = messagesOf(other);
    other.send(JSON.stringify({ type: 'ping' }));
    await expect.poll(() => messages).toEqual([{ type: 'pong' }]);
    other.close();
  });

  it('closes them when the token is revoked through DELETE /api/v1/tokens/{id}', async () => {
    const revoked = await createToken(p, { name: 'deleted', role: 'viewer' });
    const socket = await openSocket(wsUrl(p, '/api/v1/live', revoked.token));
    const socketClosed = closed(socket);
    const res = await p.api(`/api/v1/tokens/${revoked.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await socketClosed).toMatchObject({ code: 4401 });
  });

  it('never forwards security events, even to a subscription without a filter', async () => {
    const socket = await openSocket(wsUrl(p, '/api/v1/live', p.token));
    const messages = messagesOf(socket);
    socket.send(JSON.stringify({ type: 'subscribe', id: 'all' }));
    await expect.poll(() => messages).toEqual([{ type: 'subscribed', id: 'all' }]);
    for (const type of Object.values(SECURITY_EVENT_TYPES)) {
      await p.platform.core.bus.publish([
        makeEvent<SecurityEventData>(
          type,
          { actor: 'someone', credential: 'token:nobody', action: 'probe', result: 'ok' },
          { subject: 'L/press' },
        ),
      ]);
    }
    // A change after them: once it arrives, anything published before it would have too.
    const res = await p.api('/api/v1/twins/L%2Fpress', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'add', path: '/speed', value: 3 }]),
    });
    expect(res.status).toBe(200);
    await expect.poll(() => messages.length).toBeGreaterThan(1);
    const types = messages.slice(1).map((m) => (m.event as { type: string }).type);
    expect(types).toEqual([EVENT_TYPES.twinUpdated]);
    // Nor may a subscription ask for them.
    socket.send(
      JSON.stringify({ type: 'subscribe', id: 'sec', filter: { types: [SECURITY_EVENT_TYPES.signedIn] } }),
    );
    await expect.poll(() => messages.at(-1)).toMatchObject({ type: 'error', id: 'sec' });
    socket.close();
  });

  it('holds the subscription limit when many subscribe messages arrive at once', async () => {
    const socket = await openSocket(wsUrl(p, '/api/v1/live', p.token));
    const messages = messagesOf(socket);
    const before = await refusals(p, 'ws', 'IMV_LIVE_SUBSCRIPTION_LIMIT');
    const count = 40;
    // One write: the server reads every message before the first subtree is resolved.
    const raw = (socket as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    raw.cork();
    for (let i = 0; i < count; i++) {
      socket.send(JSON.stringify({ type: 'subscribe', id: `s${i}`, filter: { subtree: 'L/line' } }));
    }
    raw.uncork();
    await expect.poll(() => messages.length, { timeout: 10_000 }).toBe(count);
    const subscribed = messages.filter((m) => m.type === 'subscribed');
    const refused = messages.filter((m) => m.code === 'IMV_LIVE_SUBSCRIPTION_LIMIT');
    expect(subscribed).toHaveLength(LIMIT);
    expect(refused).toHaveLength(count - LIMIT);
    expect(await refusals(p, 'ws', 'IMV_LIVE_SUBSCRIPTION_LIMIT')).toBe(before + count - LIMIT);
    // Room again once one is given back.
    socket.send(JSON.stringify({ type: 'unsubscribe', id: subscribed[0]!.id }));
    socket.send(JSON.stringify({ type: 'subscribe', id: 'again', filter: { subtree: 'L/line' } }));
    await expect.poll(() => messages.at(-1)).toEqual({ type: 'subscribed', id: 'again' });
    socket.close();
  });
});
