// The audit log through the API: refused requests are recorded, only an unrestricted admin reads
// them, and a flood of refusals from one address cannot grow the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type AuditRecord } from '../src/server/audit/chain.js';
import { AUDIT_FILE, SqliteAuditStore } from '../src/server/audit/sqlite-store.js';
import { join } from 'node:path';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  // A window longer than any test run: the flood's count is one record, however slow the machine.
  platform = await startTestPlatform({ auditRefusalWindowSeconds: 3600 });
});
afterAll(async () => platform.close());

async function audit(query = '', token?: string): Promise<{ value: AuditRecord[]; before: number | null }> {
  const res = await platform.api(`/api/v1/audit${query}`, token === undefined ? {} : { token });
  expect(res.status).toBe(200);
  return (await res.json()) as { value: AuditRecord[]; before: number | null };
}

async function createToken(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const res = await platform.api('/api/v1/tokens', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string };
}

describe('GET /api/v1/audit', () => {
  it('shows a request refused for a missing token: who, what, to what, from where, with what code', async () => {
    const res = await platform.api('/api/v1/twins/88.100.1%2Fpress-1?access_token=secret&x=1', {
      token: null,
    });
    expect(res.status).toBe(401);
    const [record] = (await audit('?action=' + encodeURIComponent('GET /api/v1/twins/{id}'))).value;
    expect(record).toMatchObject({
      actor: 'anonymous',
      action: 'GET /api/v1/twins/{id}',
      target: '/api/v1/twins/88.100.1%2Fpress-1',
      source: '127.0.0.1',
      result: 'refused',
      code: 'IMV_AUTH_REQUIRED',
      repeat: 1,
    });
    expect(record!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the token that was refused for lacking the role', async () => {
    const reader = await createToken({ name: 'night shift', role: 'reader' });
    const res = await platform.api('/api/v1/tokens', { token: reader.token });
    expect(res.status).toBe(403);
    const [record] = (await audit('?actor=' + encodeURIComponent('night shift'))).value;
    expect(record).toMatchObject({
      credential: `token:${reader.id}`,
      action: 'GET /api/v1/tokens',
      result: 'refused',
      code: 'IMV_AUTH_FORBIDDEN',
    });
  });

  it('is refused to an admin limited to tenants, and to readers, and the refusal is itself audited', async () => {
    const tenantAdmin = await createToken({ name: 'acme admin', role: 'admin', prefixes: ['88.100.1'] });
    const reader = await createToken({ name: 'auditor without rights', role: 'reader' });
    for (const token of [tenantAdmin.token, reader.token]) {
      const res = await platform.api('/api/v1/audit', { token });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'IMV_AUTH_FORBIDDEN' });
    }
    expect((await platform.api('/api/v1/audit', { token: null })).status).toBe(401);
    const refused = (await audit('?action=' + encodeURIComponent('GET /api/v1/audit'))).value;
    expect(refused.map((r) => r.actor)).toEqual(
      expect.arrayContaining(['acme admin', 'auditor without rights']),
    );
  });

  it('pages newest first with a before cursor, filters by result and time, and bounds the page size', async () => {
    const all = (await audit('?limit=1000')).value;
    expect(all.length).toBeGreaterThanOrEqual(4);
    const first = await audit('?limit=2');
    expect(first.value.map((r) => r.seq)).toEqual([all[0]!.seq, all[1]!.seq]);
    const second = await audit(`?limit=2&before=${first.before}`);
    expect(second.value.map((r) => r.seq)).toEqual([all[2]!.seq, all[3]!.seq]);
    expect((await audit('?result=refused&limit=1000')).value.every((r) => r.result === 'refused')).toBe(true);
    expect((await audit(`?since=${encodeURIComponent(all[0]!.time)}`)).value[0]!.seq).toBe(all[0]!.seq);
    expect((await audit(`?until=${Date.parse(all.at(-1)!.time)}`)).value).toEqual([]);
    const tooMany = await platform.api('/api/v1/audit?limit=1001');
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ code: 'IMV_REQUEST_INVALID' });
    const badTime = await platform.api('/api/v1/audit?since=yesterday');
    expect(badTime.status).toBe(400);
    expect(await badTime.json()).toMatchObject({ code: 'IMV_REQUEST_INVALID', path: '/query/since' });
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await platform.api('/api/v1/openapi.json')).json()) as {
      paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }>;
    };
    expect(doc.paths['/api/v1/audit']?.get?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['since', 'until', 'actor', 'action', 'result', 'before', 'limit']),
    );
  });

  it('keeps 10,000 refused requests from one address to a bounded number of records, counting them all', async () => {
    const action = 'GET /api/v1/models';
    const before = (await audit('?action=' + encodeURIComponent(action) + '&limit=1000')).value.length;
    const total = 10_000;
    let sent = 0;
    // 20 clients in parallel, each sending until the total is reached.
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (sent < total) {
          sent++;
          const res = await platform.api('/api/v1/models', { token: `imv_bogus_${sent}` });
          expect(res.status).toBe(401);
          await res.arrayBuffer();
        }
      }),
    );
    const during = (await audit('?action=' + encodeURIComponent(action) + '&limit=1000')).value;
    expect(before).toBe(0);
    expect(during).toHaveLength(1);

    // Closing writes the count of the open window: the log ends with every refusal accounted for.
    await platform.platform.close();
    const store = new SqliteAuditStore(join(platform.dataDir, AUDIT_FILE), { readonly: true });
    try {
      const records = store.list({ action, limit: 1000 });
      expect(records.length).toBeLessThanOrEqual(2);
      expect(records.reduce((sum, r) => sum + r.repeat, 0)).toBe(total);
      expect(verifyChain(store.records())).toMatchObject({ intact: true });
    } finally {
      store.close();
    }
  }, 180_000);
});
