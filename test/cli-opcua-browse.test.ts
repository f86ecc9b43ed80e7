// `imverse opcua browse` as an integrator runs it, against a real node-opcua server: the test
// variables appear with their node ids, data types and values; wrong node ids and unreachable
// servers give one clear line and a non-zero exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/free-port.js';
import { startOpcUaServer, TEST_PASSWORD, TEST_USER, type TestOpcUaServer } from './helpers/opcua-server.js';

let server: TestOpcUaServer;
let dir: string;

/** Runs the CLI without blocking this process: the OPC UA server it talks to lives here. */
function imverse(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

const browse = (...args: string[]) => imverse('opcua', 'browse', ...args, '--pki-folder', join(dir, 'pki'));

interface Node {
  nodeId: string;
  browseName: string;
  nodeClass: string;
  dataType?: string;
  value?: unknown;
  children?: Node[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'imverse-cli-opcua-'));
  server = await startOpcUaServer();
});

afterAll(async () => {
  await server?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('imverse opcua browse', () => {
  it('prints the tree below the Objects folder with node ids, data types and values', async () => {
    const { code, out, err } = await browse(server.endpointUrl);
    expect(err).not.toMatch(/^error/m);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('Objects  ns=0;i=85  Object');
    expect(out).toMatch(/1:Press07 {2}ns=1;i=\d+ {2}Object/);
    expect(out).toContain('1:Temperature  ns=1;s=Temperature  Variable  Double = 20.5');
    expect(out).toContain('1:Running  ns=1;s=Running  Variable  Boolean = true');
    expect(out).toContain('1:Mode  ns=1;s=Mode  Variable  String = "auto"');
    expect(out).toContain('1:Count  ns=1;s=Count  Variable  Int32 = 7');
    expect(out).toContain('1:Profile  ns=1;s=Profile  Variable  Double[] = [1,2,3]');
  }, 60_000);

  it('prints JSON from a given node, with a user session', async () => {
    writeFileSync(join(dir, 'password'), `${TEST_PASSWORD}\n`);
    const { code, out } = await browse(
      server.endpointUrl,
      '--node',
      'i=85',
      '--depth',
      '2',
      '--user',
      TEST_USER,
      '--password-file',
      join(dir, 'password'),
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(out) as { root: Node; depth: number; truncated: boolean };
    expect(result).toMatchObject({
      root: { nodeId: 'ns=0;i=85', nodeClass: 'Object' },
      depth: 2,
      truncated: false,
    });
    const press = result.root.children?.find((n) => n.browseName === '1:Press07');
    expect(press?.children).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          nodeId: 'ns=1;s=Temperature',
          nodeClass: 'Variable',
          dataType: 'Double',
          value: 20.5,
        }),
        expect.objectContaining({ nodeId: 'ns=1;s=Count', dataType: 'Int32', value: 7 }),
        expect.objectContaining({
          nodeId: 'ns=1;s=Profile',
          dataType: 'Double',
          valueRank: 1,
          value: [1, 2, 3],
        }),
      ]),
    );
  }, 60_000);

  it('says which node id is wrong: one the server does not know, one that is not a node id', async () => {
    const unknown = await browse(server.endpointUrl, '--node', 'ns=1;s=Nope');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(
      /^error IMV_OPCUA_NODE_UNKNOWN: node ns=1;s=Nope on OPC UA server .*BadNodeIdUnknown/m,
    );
    expect(unknown.err).not.toMatch(/^\s+at /m);
    expect(unknown.out).toBe('');

    const malformed = await browse(server.endpointUrl, '--node', 'Temperature');
    expect(malformed.code).not.toBe(0);
    expect(malformed.err).toMatch(
      /^error IMV_CONFIG_INVALID: --node: "Temperature" is not an OPC UA node id/m,
    );
  }, 60_000);

  it('gives up on a server that is not there, or does not answer', async () => {
    const closed = await browse(`opc.tcp://127.0.0.1:${await freePort()}`);
    expect(closed.code).not.toBe(0);
    expect(closed.err).toMatch(
      /^error IMV_OPCUA_UNREACHABLE: OPC UA server opc\.tcp:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED/m,
    );
    expect(closed.err).not.toMatch(/^\s+at /m);

    // A listener that accepts the connection and never says anything.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const mute = await browse(`opc.tcp://127.0.0.1:${port}`, '--timeout', '1500');
      expect(mute.code).not.toBe(0);
      expect(mute.err).toMatch(/did not answer within 1500 ms: check the host name and port/);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 60_000);
});
