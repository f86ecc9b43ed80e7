// Policies over HTTP: a partner sees exactly the twins shared with it, nobody hands out more than
// they hold, and every refusal is a stable code. Tokens stand for the subjects (key:ID).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_MODELS, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
const enc = encodeURIComponent;
const machine = { $metadata: { $model: 'dtmi:test:Machine;1' } };
const line = { $metadata: { $model: 'dtmi:test:Line;1' } };

interface Made {
  readonly token: string;
  readonly id: string;
}

async function token(body: Record<string, unknown>, as?: string): Promise<Made> {
  const res = await p.api('/api/v1/tokens', { method: 'POST', json: body, ...(as ? { token: as } : {}) });
  expect(res.status).toBe(201);
  const { token: secret, id } = (await res.json()) as { token: string; id: string };
  return { token: secret, id };
}

const putPolicy = (id: string, document: unknown, as?: string) =>
  p.api(`/api/v1/policies/${id}`, { method: 'PUT', json: document, ...(as ? { token: as } : {}) });

/** The twins a query shows the caller; `none` when it may read no twin at all (403). */
const ids = async (as: string): Promise<string[] | 'none'> => {
  const res = await p.api('/api/v1/query', {
    method: 'POST',
    json: { query: 'SELECT T FROM DIGITALTWINS T' },
    token: as,
  });
  if (res.status === 403) return 'none';
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: Array<{ T: { $dtId: string } }> }).value
    .map((row) => row.T.$dtId)
    .sort();
};

let partner: Made;
let viewer: Made;
let operator: Made;
let officer: Made;

beforeAll(async () => {
  p = await startTestPlatform();
  expect((await p.api('/api/v1/models', { method: 'POST', json: TEST_MODELS })).status).toBe(201);
  const twins = [
    { $dtId: '88.100.1/line-1', ...line },
    { $dtId: '88.100.1/line-1/m1', ...machine },
    { $dtId: '88.100.1/line-2', ...line },
    { $dtId: '88.100.1/line-2/m1', ...machine, name: 'Press 1', speed: 42 },
    { $dtId: '88.100.1/line-2/secret', ...machine },
    { $dtId: '88.200.2/line-1', ...line },
  ];
  expect((await p.api('/api/v1/import', { method: 'POST', json: { twins, relationships: [] } })).status).toBe(
    200,
  );
  partner = await token({ name: 'supplier', role: 'partner' });
  viewer = await token({ name: 'night shift', role: 'viewer' });
  operator = await token({ name: 'line operator', role: 'operator' });
  officer = await token({ name: 'security officer', role: 'viewer' });
});
afterAll(async () => p?.close());

describe('a partner', () => {
  it('sees nothing before anything is shared with it', async () => {
    expect(await ids(partner.token)).toBe('none');
    expect((await p.api(`/api/v1/twins/${enc('88.100.1/line-1')}`, { token: partner.token })).status).toBe(
      403,
    );
  });

  it('sees exactly the subtree shared with it, less what is revoked inside it', async () => {
    const shared = await putPolicy('supplier-line-2', {
      entries: {
        share: {
          subjects: [`key:${partner.id}`],
          resources: {
            'twin:/88.100.1/line-2': { grant: ['read'] },
            'twin:/88.100.1/line-2/secret': { revoke: ['read'] },
          },
        },
      },
    });
    expect(shared.status).toBe(201);
    expect(await ids(partner.token)).toEqual(['88.100.1/line-2', '88.100.1/line-2/m1']);
    expect((await p.api(`/api/v1/twins/${enc('88.100.1/line-2/m1')}`, { token: partner.token })).status).toBe(
      200,
    );
    for (const hidden of [
      '88.100.1/line-2/secret',
      '88.100.1/line-1',
      '88.200.2/line-1',
      '88.100.1/line-20',
    ]) {
      const res = await p.api(`/api/v1/twins/${enc(hidden)}`, { token: partner.token });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'IMV_AUTH_FORBIDDEN' });
    }
    // Reading is not writing.
    const write = await p.api(`/api/v1/twins/${enc('88.100.1/line-2/m1')}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'add', path: '/speed', value: 1 }]),
      token: partner.token,
    });
    expect(write.status).toBe(403);
    // What the caller may do, for pages that show or hide controls.
    const access = await p.api(`/api/v1/access?resource=${enc('twin:/88.100.1/line-2/m1')}`, {
      token: partner.token,
    });
    expect(await access.json()).toMatchObject({ read: true, write: false, execute: false });
  });

  it('does not see a field a policy keeps from it: not in documents, queries, or history', async () => {
    const hidden = await putPolicy('supplier-no-speed', {
      entries: {
        share: {
          subjects: [`key:${partner.id}`],
          resources: {
            'twin:/88.100.1/line-2#speed': { revoke: ['read'] },
            'history:/88.100.1/line-2': { grant: ['read'] },
            'history:/88.100.1/line-2#speed': { revoke: ['read'] },
          },
        },
      },
    });
    expect(hidden.status).toBe(201);
    const doc = (await (
      await p.api(`/api/v1/twins/${enc('88.100.1/line-2/m1')}`, { token: partner.token })
    ).json()) as Record<string, unknown> & { $metadata: Record<string, unknown> };
    expect(doc.name).toBe('Press 1');
    expect(doc).not.toHaveProperty('speed');
    expect(doc.$metadata).not.toHaveProperty('speed');
    // The admin still sees it.
    expect(await (await p.api(`/api/v1/twins/${enc('88.100.1/line-2/m1')}`)).json()).toMatchObject({
      speed: 42,
    });
    const all = await p.api('/api/v1/query', {
      method: 'POST',
      json: { query: 'SELECT * FROM DIGITALTWINS' },
      token: partner.token,
    });
    expect(JSON.stringify(await all.json())).not.toContain('"speed"');
    // A filter on the field would tell its value: refused.
    const probe = await p.api('/api/v1/query', {
      method: 'POST',
      json: { query: 'SELECT T FROM DIGITALTWINS T WHERE T.speed > 40' },
      token: partner.token,
    });
    expect(probe.status).toBe(403);
    const history = await p.api(`/api/v1/twins/${enc('88.100.1/line-2/m1')}/telemetry?field=speed`, {
      token: partner.token,
    });
    expect(history.status).toBe(403);
    const other = await p.api(`/api/v1/twins/${enc('88.100.1/line-2/m1')}/telemetry?field=name`, {
      token: partner.token,
    });
    expect(other.status).toBe(200);
    expect((await p.api('/api/v1/policies/supplier-no-speed', { method: 'DELETE' })).status).toBe(204);
  });

  it('loses the share when the policy is deleted', async () => {
    expect((await p.api('/api/v1/policies/supplier-line-2', { method: 'DELETE' })).status).toBe(204);
    expect(await ids(partner.token)).toBe('none');
  });
});

describe('nobody hands out more than they hold', () => {
  it('refuses a viewer writing and an operator granting itself admin', async () => {
    const write = await p.api(`/api/v1/twins/${enc('88.100.1/line-1/m1')}`, {
      method: 'PUT',
      json: machine,
      token: viewer.token,
    });
    expect(write.status).toBe(403);
    const selfGrant = await putPolicy(
      'operator-is-admin',
      {
        entries: {
          me: { subjects: [`key:${operator.id}`], resources: { 'policies:/': { grant: ['write'] } } },
        },
      },
      operator.token,
    );
    expect(selfGrant.status).toBe(403);
    expect(await selfGrant.json()).toMatchObject({ code: 'IMV_AUTH_FORBIDDEN' });
    const adminToken = await p.api('/api/v1/tokens', {
      method: 'POST',
      json: { name: 'escalate', role: 'admin' },
      token: operator.token,
    });
    expect(adminToken.status).toBe(403);
  });

  it('lets a policy writer grant only what it may do itself', async () => {
    // The admin makes the officer a policy writer who may read (not write) tenant 88.100.1.
    expect(
      (
        await putPolicy('officer', {
          entries: {
            officer: {
              subjects: [`key:${officer.id}`],
              resources: { 'policies:/': { grant: ['read', 'write'] } },
            },
          },
        })
      ).status,
    ).toBe(201);
    const beyond = await putPolicy(
      'officer-grants-write',
      {
        entries: {
          e: { subjects: [`key:${partner.id}`], resources: { 'twin:/88.100.1': { grant: ['write'] } } },
        },
      },
      officer.token,
    );
    expect(beyond.status).toBe(403);
    expect(await beyond.json()).toMatchObject({ code: 'IMV_POLICY_BEYOND_REACH' });
    const within = await putPolicy(
      'officer-shares-read',
      {
        entries: {
          e: { subjects: [`key:${partner.id}`], resources: { 'twin:/88.100.1/line-1': { grant: ['read'] } } },
        },
      },
      officer.token,
    );
    expect(within.status).toBe(201);
    expect(await ids(partner.token)).toEqual(['88.100.1/line-1', '88.100.1/line-1/m1']);
  });

  it('refuses malformed policies with the path of the mistake, and changes nothing', async () => {
    const bad = await putPolicy('broken', { entries: { e: { subjects: ['root'], resources: {} } } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'IMV_POLICY_INVALID', path: '/entries/e/subjects/0' });
    expect((await p.api('/api/v1/policies/broken')).status).toBe(404);
  });

  it('answers a malformed resource in an access check with a coded 400', async () => {
    const res = await p.api(`/api/v1/access?resource=${enc('vault:/everything')}`, { token: partner.token });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'IMV_POLICY_INVALID', path: '/resource' });
  });

  it('keeps policies from a tenant-limited admin', async () => {
    const tenantAdmin = await token({ name: 'acme admin', role: 'admin', prefixes: ['88.100.1'] });
    expect((await p.api('/api/v1/policies', { token: tenantAdmin.token })).status).toBe(403);
    const res = await putPolicy(
      'acme',
      {
        entries: {
          e: { subjects: [`key:${partner.id}`], resources: { 'twin:/88.100.1': { grant: ['read'] } } },
        },
      },
      tenantAdmin.token,
    );
    expect(res.status).toBe(403);
  });
});
