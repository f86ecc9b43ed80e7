// Accepted writes survive a restart and a kill -9 of the server process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestPlatform } from './helpers/platform.js';
import { startImverseProcess } from './helpers/imverse-process.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-durable-'));
  dirs.push(dir);
  return dir;
}

const machine = { $metadata: { $model: 'dtmi:imverse:Machine;1' } };

describe('durability', () => {
  it('keeps twins and tokens across a clean restart, without a new admin token', async () => {
    const dataDir = tempDir();
    const first = await startTestPlatform({ dataDir });
    const put = await first.api('/api/v1/twins/P%2Fkept', { method: 'PUT', json: machine });
    expect(put.status).toBe(201);
    await first.close();
    const second = await startTestPlatform({ dataDir });
    expect(second.token).toBe('');
    const res = await fetch(`${second.url}/api/v1/twins/P%2Fkept`, {
      headers: { authorization: `Bearer ${first.token}` },
    });
    expect(res.status).toBe(200);
    await second.close();
  });

  it('keeps every acknowledged write when the process is killed with SIGKILL', async () => {
    const dataDir = tempDir();
    const server = await startImverseProcess(dataDir);
    expect(server.token).toMatch(/^imv_/);
    const auth = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const acknowledged: string[] = [];
    // Keep writing while the kill lands; only answered writes count as acknowledged.
    const writer = (async () => {
      for (let i = 0; i < 2000; i++) {
        const id = `P/unit-${i}`;
        try {
          const res = await fetch(`${server.url}/api/v1/twins/${encodeURIComponent(id)}`, {
            method: 'PUT',
            headers: auth,
            body: JSON.stringify(machine),
          });
          if (res.status === 201) acknowledged.push(id);
        } catch {
          return;
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 700));
    server.child.kill('SIGKILL');
    await writer;
    expect(acknowledged.length).toBeGreaterThan(10);

    const restarted = await startImverseProcess(dataDir);
    try {
      for (const id of acknowledged) {
        const res = await fetch(`${restarted.url}/api/v1/twins/${encodeURIComponent(id)}`, { headers: auth });
        expect(res.status, id).toBe(200);
      }
    } finally {
      restarted.child.kill('SIGTERM');
    }
  });

  it('keeps every acknowledged device value, once, when killed with SIGKILL during ingest', async () => {
    const dataDir = tempDir();
    const server = await startImverseProcess(dataDir, ['--demo']);
    const auth = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const twin = '88.100.1/line-1/st-01/cnc';
    const base = Date.now() - 3_600_000;
    let acknowledged = 0;
    const writer = (async () => {
      for (let batch = 0; batch < 2000; batch++) {
        const points = Array.from({ length: 50 }, (_, i) => ({
          twin,
          field: 'temperature',
          time: base + batch * 50 + i,
          value: batch + i / 100,
        }));
        try {
          const res = await fetch(`${server.url}/api/v1/ingest`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ points }),
          });
          if (res.status !== 200) return;
          const body = (await res.json()) as { accepted: number };
          acknowledged += body.accepted;
        } catch {
          return;
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 800));
    server.child.kill('SIGKILL');
    await writer;
    expect(acknowledged).toBeGreaterThan(100);

    const restarted = await startImverseProcess(dataDir);
    try {
      const res = await fetch(
        `${restarted.url}/api/v1/twins/${encodeURIComponent(twin)}/telemetry?field=temperature&from=${base}&to=${base + 200_000}&limit=100000`,
        { headers: auth },
      );
      const samples = ((await res.json()) as { series: Array<{ samples: Array<{ time: number }> }> })
        .series[0]!.samples;
      const times = samples.map((s) => s.time);
      expect(new Set(times).size).toBe(times.length);
      // Acknowledged batches were sent in order, so the first `acknowledged` times must all be there.
      for (let k = 0; k < acknowledged; k++) expect(times[k]).toBe(base + k);
    } finally {
      restarted.child.kill('SIGTERM');
    }
  });
});
