// Starts a real PostgreSQL server for a test: initdb into a temporary directory, one listener on a
// free loopback port (no Unix socket), trust authentication (the test server only), fsync on, and
// one database. Fails loudly when the binaries are missing: these tests must run, never be skipped.
// PostgreSQL refuses to run as root; as root (CI) the server runs as the `postgres` OS user.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);

export interface TestPostgres {
  readonly connectionString: string;
  readonly port: number;
  stop(): Promise<void>;
}

const BIN_DIRS = [
  ...(process.env.PG_BIN === undefined ? [] : [process.env.PG_BIN]),
  '/usr/local/bin',
  '/usr/lib/postgresql/15/bin',
  '/usr/lib/postgresql/16/bin',
  '/usr/lib/postgresql/17/bin',
  '/usr/bin',
];

function binDir(): string {
  const dir = BIN_DIRS.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  if (dir === undefined) {
    throw new Error(
      `PostgreSQL is not installed (initdb and pg_ctl not found in ${BIN_DIRS.join(', ')}): these tests ` +
        'need a real server. Install it with `apt-get install -y postgresql` (or set PG_BIN).',
    );
  }
  return dir;
}

/** The uid and gid the server runs as: ours, or the `postgres` user's when we are root. */
async function serverUser(): Promise<{ uid: number; gid: number; asUser: (cmd: string[]) => string[] }> {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? -1, asUser: (cmd) => cmd };
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  try {
    await id('-u');
  } catch {
    await run('useradd', ['-r', '-m', 'postgres']);
  }
  return {
    uid: await id('-u'),
    gid: await id('-g'),
    asUser: (cmd) => ['runuser', '-u', 'postgres', '--', ...cmd],
  };
}

async function exec(argv: string[], timeoutMs: number): Promise<void> {
  await run(argv[0]!, argv.slice(1), { timeout: timeoutMs });
}

export async function startPostgres(timeoutMs = 30_000): Promise<TestPostgres> {
  const bin = binDir();
  const user = await serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'imverse-postgres-'));
  if (user.uid >= 0) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const pgCtl = (...args: string[]) =>
    exec(user.asUser([join(bin, 'pg_ctl'), '-D', data, ...args]), timeoutMs);
  let started = false;
  // A test run that ends without calling stop() (a crash, a forgotten afterAll) must not leave a server.
  const onExit = (): void => {
    if (started) {
      const [cmd, ...args] = user.asUser([join(bin, 'pg_ctl'), '-D', data, 'stop', '-m', 'immediate', '-w']);
      spawnSync(cmd!, args, { stdio: 'ignore', timeout: 10_000 });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit);
    if (started) {
      started = false;
      await pgCtl('stop', '-m', 'fast', '-w').catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const fail = async (message: string, error: unknown): Promise<never> => {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').trim() : '';
    await stop();
    throw new Error(`${message}: ${String(error)}${serverLog ? `\nserver log:\n${serverLog}` : ''}`, {
      cause: error,
    });
  };

  try {
    // --no-sync only speeds up initdb's own writes; the server below runs with fsync on.
    await exec(
      user.asUser([
        join(bin, 'initdb'),
        '-D',
        data,
        '-U',
        'postgres',
        '--auth=trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ]),
      timeoutMs,
    );
  } catch (error) {
    return fail('initdb failed', error);
  }

  // Another process may take the free port before the server binds it: try a few ports.
  let port = 0;
  for (let attempt = 1; !started; attempt++) {
    port = await freePort();
    try {
      await pgCtl(
        'start',
        '-w',
        '-t',
        String(Math.ceil(timeoutMs / 1000)),
        '-l',
        log,
        '-o',
        `-p ${port} -h 127.0.0.1 -k '' -c fsync=on -c synchronous_commit=on`,
      );
      started = true;
    } catch (error) {
      if (attempt >= 3) return fail(`PostgreSQL did not start on 127.0.0.1:${port}`, error);
    }
  }

  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: admin });
    try {
      await client.connect();
      await client.query('CREATE DATABASE imverse_test');
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if ((error as { code?: string }).code === '42P04') break; // created by an attempt that then failed
      if (Date.now() > deadline)
        return fail(`PostgreSQL on 127.0.0.1:${port} did not accept connections`, error);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { connectionString: `postgres://postgres@127.0.0.1:${port}/imverse_test`, port, stop };
}
