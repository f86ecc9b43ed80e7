// Every audit record whose append returned survives a kill -9 of the process, and the chain stays
// intact: written by the store alone, and through the platform's HTTP edge.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../src/server/audit/chain.js';
import { AUDIT_FILE, SqliteAuditStore } from '../src/server/audit/sqlite-store.js';
import { auditEntry } from '../src/server/audit/entry.js';
import { startImverseProcess } from './helpers/imverse-process.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-audit-durable-'));
  dirs.push(dir);
  return dir;
}

describe('audit durability', { timeout: 180_000 }, () => {
  it('keeps every appended record when the writing process is killed with SIGKILL', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/audit-writer.ts', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acknowledged = 0;
    let partial = '';
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the writer exited by itself (${code})`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop()!;
        acknowledged = Number(lines.at(-1) ?? acknowledged);
        // Killed in the middle of writing: the next append is under way.
        if (acknowledged >= 200) {
          child.removeAllListeners('exit');
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }
      });
    });

    // Opened as the restarted platform opens it: SQLite recovers from its write-ahead log.
    const store = new SqliteAuditStore(join(dataDir, AUDIT_FILE));
    try {
      const verdict = verifyChain(store.records());
      expect(verdict).toMatchObject({ intact: true });
      expect(store.head.seq).toBeGreaterThanOrEqual(acknowledged);
      // And the chain goes on from where the killed writer left it.
      store.append(auditEntry({ actor: 'restart', action: 'token.create', result: 'ok' }, Date.now()));
      expect(verifyChain(store.records())).toMatchObject({ intact: true, records: store.head.seq });
    } finally {
      store.close();
    }
  });

  it('has recorded every refused request that was answered, when the platform is killed with SIGKILL', async () => {
    const dataDir = tempDir();
    const server = await startImverseProcess(dataDir);
    // Refusals of different kinds (routes): each is a record of its own, never only a count.
    const routes = ['/api/v1/models', '/api/v1/twins', '/api/v1/tokens', '/api/v1/devices', '/api/v1/audit'];
    for (const route of routes) {
      const res = await fetch(`${server.url}${route}`, { headers: { authorization: 'Bearer imv_forged' } });
      expect(res.status).toBe(401);
    }
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server.child.once('exit', resolve));

    const store = new SqliteAuditStore(join(dataDir, AUDIT_FILE), { readonly: true });
    try {
      expect(verifyChain(store.records())).toMatchObject({ intact: true });
      const refused = store.list({ result: 'refused', limit: 100 });
      expect(refused.map((r) => r.target).sort()).toEqual([...routes].sort());
      expect(refused.every((r) => r.code === 'IMV_AUTH_REQUIRED' && r.actor === 'anonymous')).toBe(true);
    } finally {
      store.close();
    }
  });
});
