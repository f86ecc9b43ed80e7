// Twin reads over HTTP on loopback with a real load generator (autocannon) against a separate
// server process holding the demo plant. `npm run bench -- api [--seconds 10] [--connections 64] [--rounds 3]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { argValue } from './_stats.js';
import { startImverseProcess } from '../test/helpers/imverse-process.js';

const seconds = Number(argValue('seconds', '10'));
const connections = Number(argValue('connections', '64'));
const rounds = Number(argValue('rounds', '3'));
const dataDir = mkdtempSync(join(tmpdir(), 'imverse-bench-api-'));

const server = await startImverseProcess(dataDir, ['--demo']);
const { url } = server;
const token = server.token!;

try {
  const auth = { authorization: `Bearer ${token}` };
  const list = (await (
    await fetch(`${url}/api/v1/query`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'SELECT * FROM DIGITALTWINS', pageSize: 1000 }),
    })
  ).json()) as { value: Array<{ $dtId: string }> };
  const paths = list.value.map((twin) => `/api/v1/twins/${encodeURIComponent(twin.$dtId)}`);
  console.log(
    `api benchmark: GET of ${paths.length} demo-plant twins, ${connections} connections, ${seconds} s × ${rounds} rounds`,
  );

  // Warm up first: a long-running server has its hot paths compiled.
  let w = 0;
  await autocannon({
    url,
    connections,
    duration: 3,
    headers: auth,
    requests: [
      { method: 'GET', setupRequest: (request) => ({ ...request, path: paths[w++ % paths.length]! }) },
    ],
  });
  const results: Array<{ rps: number; p50: number; p99: number }> = [];
  for (let round = 0; round < rounds; round++) {
    let i = 0;
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      headers: auth,
      requests: [
        { method: 'GET', setupRequest: (request) => ({ ...request, path: paths[i++ % paths.length]! }) },
      ],
    });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${result.non2xx} non-2xx responses, ${result.errors} errors`);
    }
    results.push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
    console.log(
      `round ${round + 1}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
    );
  }
  const median = <T>(values: T[], key: (v: T) => number) =>
    values.map(key).sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    `api twin reads: median ${median(results, (r) => r.rps).toFixed(0)} req/s, p50 ${median(results, (r) => r.p50)} ms, p99 ${median(results, (r) => r.p99)} ms`,
  );
} finally {
  server.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
