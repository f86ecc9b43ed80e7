// Creating and revoking a token through the API publishes security events on the bus: the audit log
// records them, and the live sockets close a revoked token's connections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_EVENT_TYPES, type ImverseEvent, type SecurityEventData } from '../src/core/wire.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
const events: Array<ImverseEvent<SecurityEventData>> = [];
beforeAll(async () => {
  p = await startTestPlatform();
  p.platform.core.bus.subscribe((event) => events.push(event as ImverseEvent<SecurityEventData>), {
    types: [SECURITY_EVENT_TYPES.tokenCreated, SECURITY_EVENT_TYPES.credentialRevoked],
  });
});
afterAll(async () => p?.close());

describe('token security events', () => {
  it('announces a created and a revoked token with its credential', async () => {
    const res = await p.api('/api/v1/tokens', { method: 'POST', json: { name: 'scada', role: 'engineer' } });
    const { id } = (await res.json()) as { id: string };
    expect((await p.api(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    // A revocation of a token that is not there changes nothing, and announces nothing.
    expect((await p.api(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(404);

    expect(events.map((event) => [event.type, event.data])).toEqual([
      [
        SECURITY_EVENT_TYPES.tokenCreated,
        expect.objectContaining({
          actor: 'admin (first start)',
          credential: `token:${id}`,
          action: 'token.create',
          result: 'ok',
        }),
      ],
      [
        SECURITY_EVENT_TYPES.credentialRevoked,
        expect.objectContaining({
          actor: 'admin (first start)',
          credential: `token:${id}`,
          action: 'token.revoke',
          result: 'ok',
        }),
      ],
    ]);
  });
});
