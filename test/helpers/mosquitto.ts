// Starts a real Mosquitto broker for a test: a generated config in a temporary directory, one
// listener on a free loopback port, anonymous access (the test broker only). Fails loudly when
// the binary is missing: these tests must run, never be skipped.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export const MOSQUITTO_BINARY = process.env.MOSQUITTO_BINARY ?? '/usr/sbin/mosquitto';

export interface TestMosquitto {
  readonly url: string;
  readonly port: number;
  /** What the broker logged (with `logConnections`: a line per client, with its protocol version). */
  log(): string;
  stop(): Promise<void>;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startMosquitto(
  timeoutMs = 10_000,
  options: { readonly logConnections?: boolean } = {},
): Promise<TestMosquitto> {
  if (!existsSync(MOSQUITTO_BINARY)) {
    throw new Error(
      `Mosquitto is not installed (${MOSQUITTO_BINARY} not found): these tests need a real broker. ` +
        'Install it with `apt-get install -y mosquitto` (or set MOSQUITTO_BINARY).',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'imverse-mosquitto-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      // "New client connected from … as ID (p5, c0, k60)": p is the protocol version.
      ...(options.logConnections ? ['log_type notice', 'connection_messages true'] : []),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(MOSQUITTO_BINARY, ['-c', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let exited = false;
  child.once('exit', () => (exited = true));

  const stop = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (!(await accepting(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`Mosquitto did not start on 127.0.0.1:${port}: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `mqtt://127.0.0.1:${port}`, port, log: () => stderr, stop };
}
