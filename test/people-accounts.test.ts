// Accounts: the users API for platform administrators, the `imverse user` command, the first start of
// a non-demo platform, and WebSockets that a session cookie opens and its end closes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { body, createUser, signIn, signInRequest } from './helpers/people.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';
import { startImverseProcess } from './helpers/imverse-process.js';

const PASSWORD = 'correct horse battery';
let p: TestPlatform;
const dirs: string[] = [];

beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.close();
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-people-cli-'));
  dirs.push(dir);
  return dir;
}

function imverse(input: string | undefined, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    ...(input === undefined ? {} : { input }),
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('users API', () => {
  it('lets a platform admin create, list, change and delete accounts, never showing a hash', async () => {
    const created = await p.api('/api/v1/users', {
      method: 'POST',
      json: { name: 'eve', password: PASSWORD, role: 'engineer', prefixes: ['88.100.1'], groups: ['line-2'] },
    });
    expect(created.status).toBe(201);
    expect(await body(created)).toMatchObject({
      name: 'eve',
      displayName: 'eve',
      role: 'engineer',
      prefixes: ['88.100.1'],
      groups: ['line-2'],
      disabled: false,
      signsInWith: 'password',
    });
    const listed = await body(await p.api('/api/v1/users'));
    expect(listed.map((user: { name: string }) => user.name)).toContain('eve');
    expect(JSON.stringify(listed)).not.toContain('argon2');

    const changed = await p.api('/api/v1/users/eve', {
      method: 'PATCH',
      json: { role: 'viewer', displayName: 'Eve Example', prefixes: null },
    });
    expect(await body(changed)).toMatchObject({ role: 'viewer', displayName: 'Eve Example' });
    const eve = await signIn(p, 'eve', PASSWORD);
    expect(await body(await eve.fetch('/api/v1/me'))).not.toHaveProperty('prefixes');

    expect((await p.api('/api/v1/users/eve', { method: 'DELETE' })).status).toBe(204);
    expect((await p.api('/api/v1/users/eve', { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses bad accounts with stable codes', async () => {
    const post = (json: unknown) => p.api('/api/v1/users', { method: 'POST', json });
    expect((await body(await post({ name: 'x', password: 'short', role: 'viewer' }))).code).toBe(
      'IMV_PASSWORD_WEAK',
    );
    expect((await body(await post({ name: '../x', password: PASSWORD, role: 'viewer' }))).code).toBe(
      'IMV_REQUEST_INVALID',
    );
    expect((await body(await post({ name: 'x', password: PASSWORD, role: 'emperor' }))).code).toBe(
      'IMV_REQUEST_INVALID',
    );
    expect((await post({ name: 'dup', password: PASSWORD, role: 'viewer' })).status).toBe(201);
    expect((await body(await post({ name: 'dup', password: PASSWORD, role: 'viewer' }))).code).toBe(
      'IMV_USER_EXISTS',
    );
  });

  it('is for platform admins only: not for a signed-in admin limited to a tenant, nor a viewer', async () => {
    await createUser(p, 'tenant-admin', PASSWORD, 'admin', { prefixes: ['88.100.1'] });
    const admin = await signIn(p, 'tenant-admin', PASSWORD);
    expect((await admin.fetch('/api/v1/users')).status).toBe(403);
    await createUser(p, 'root', PASSWORD, 'admin');
    const root = await signIn(p, 'root', PASSWORD);
    expect((await root.fetch('/api/v1/users')).status).toBe(200);
    expect((await fetch(`${p.url}/api/v1/users`)).status).toBe(401);
  });
});

describe('WebSockets of a session', () => {
  const open = (headers: Record<string, string>) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${p.url.replace('http', 'ws')}/api/v1/live`, { headers });
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_request, response) => reject(new Error(String(response.statusCode))));
      ws.once('error', reject);
    });

  it('open by the cookie from this site, not from another, and close when the session ends', async () => {
    await createUser(p, 'sam', PASSWORD, 'viewer');
    const sam = await signIn(p, 'sam', PASSWORD);
    await expect(open({ cookie: sam.cookie, origin: 'https://evil.example' })).rejects.toThrow('403');
    const ws = await open({ cookie: sam.cookie, origin: p.url });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    expect((await sam.fetch('/signout', { method: 'POST' })).status).toBe(204);
    expect(await closed).toBe(4401);
  });
});

describe('imverse user', () => {
  it('adds, lists, sets a password, disables and removes users of a stopped platform', async () => {
    const data = tempDir();
    const added = imverse(`${PASSWORD}\n`, 'user', 'add', 'ada', '--role', 'admin', '--data', data);
    expect(added.err).toBe('');
    expect(added.out).toContain('created admin user "ada"');
    const list = imverse(undefined, 'user', 'list', '--json', '--data', data);
    expect(JSON.parse(list.out)).toMatchObject([{ name: 'ada', role: 'admin', disabled: false }]);
    expect(list.out).not.toContain('argon2');
    const file = join(data, 'pw');
    writeFileSync(file, 'another long passphrase\n');
    const set = imverse(undefined, 'user', 'set-password', 'ada', '--password-file', file, '--data', data);
    expect(set.out).toContain('set a new password');
    expect(imverse(undefined, 'user', 'disable', 'ada', '--data', data).out).toContain('disabled "ada"');
    expect(imverse(undefined, 'user', 'remove', 'ada', '--data', data).out).toContain('removed "ada"');
    // Each command is a process of its own: several seconds each on a busy machine.
  }, 180_000);

  it('refuses while the platform runs on the data directory', async () => {
    const running = imverse(`${PASSWORD}\n`, 'user', 'add', 'ada', '--role', 'admin', '--data', p.dataDir);
    expect(running.code).toBe(1);
    expect(running.err).toContain('IMV_DATA_DIR_IN_USE');
    expect(running.err).toContain('/api/v1/users');
  }, 60_000);

  it('creates the first admin of a new platform, who then signs in', async () => {
    const data = tempDir();
    expect(imverse(`${PASSWORD}\n`, 'user', 'add', 'first', '--role', 'admin', '--data', data).code).toBe(0);
    const q = await startTestPlatform({ dataDir: data });
    try {
      expect((await signInRequest(q, 'first', PASSWORD)).status).toBe(200);
    } finally {
      await q.close();
    }
  }, 60_000);
});

describe('first start', () => {
  it('is closed to anyone not signed in, and says how to create the first person', async () => {
    const data = tempDir();
    const started = await startImverseProcess(data, ['--no-mqtt']);
    try {
      expect(started.token).toMatch(/^imv_/);
      expect((await fetch(`${started.url}/api/v1/twins`)).status).toBe(401);
      expect((await fetch(`${started.url}/world`, { redirect: 'manual' })).status).toBe(302);
      expect((await fetch(`${started.url}/`, { redirect: 'manual' })).status).toBe(302);
    } finally {
      started.child.kill('SIGTERM');
    }
    expect(started.output).toContain('imverse user add NAME --role admin');
  }, 60_000);
});
