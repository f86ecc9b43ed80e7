// Twin reads over HTTP on loopback with a real load generator (autocannon) against a separate
// server process holding the demo plant, three ways in one run: an admin token; a partner token
// that reads through a policy among `--policies` stored ones; and the ceiling, a bare fastify
// process answering the same document. `npm run bench -- api [--seconds 10] [--connections 64]
// [--rounds 3] [--policies 1000]`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { argValue } from './_stats.js';
import { startImverseProcess } from '../test/helpers/imverse-process.js';

const seconds = Number(argValue('seconds', '10'));
const connections = Number(argValue('connections', '64'));
const rounds = Number(argValue('rounds', '3'));
const policyCount = Number(argValue('policies', '1000'));
const dataDir = mkdtempSync(join(tmpdir(), 'imverse-bench-api-'));

const server = await startImverseProcess(dataDir, ['--demo', '--no-virtual-plant']);
const { url } = server;
const admin = { authorization: `Bearer ${server.token!}` };

interface Figure {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

/** A warm-up, then `rounds` rounds of GETs cycling through `paths`; the median round. */
async function measure(
  label: string,
  base: string,
  paths: string[],
  headers: Record<string, string>,
): Promise<Figure> {
  const run = async (duration: number): Promise<Figure> => {
    let i = 0;
    const result = await autocannon({
      url: base,
      connections,
      duration,
      headers,
      requests: [
        { method: 'GET', setupRequest: (request) => ({ ...request, path: paths[i++ % paths.length]! }) },
      ],
    });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${label}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
    }
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
  };
  await run(3);
  const figures: Figure[] = [];
  for (let round = 0; round < rounds; round++) {
    const figure = await run(seconds);
    figures.push(figure);
    console.log(
      `${label} round ${round + 1}: ${figure.rps.toFixed(0)} req/s, p50 ${figure.p50} ms, p99 ${figure.p99} ms`,
    );
  }
  const median = (key: (f: Figure) => number) =>
    figures.map(key).sort((a, b) => a - b)[Math.floor(figures.length / 2)]!;
  return { rps: median((f) => f.rps), p50: median((f) => f.p50), p99: median((f) => f.p99) };
}

async function api(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  return fetch(`${url}${path}`, {
    ...rest,
    headers: { ...admin, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

const bare = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '_bare-fastify.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const list = (await (
    await api('/api/v1/query', {
      method: 'POST',
      json: { query: 'SELECT * FROM DIGITALTWINS', pageSize: 1000 },
    })
  ).json()) as { value: Array<{ $dtId: string }> };
  const paths = list.value.map((twin) => `/api/v1/twins/${encodeURIComponent(twin.$dtId)}`);
  const tenant = list.value[0]!.$dtId.split('/')[0]!;
  console.log(
    `api benchmark: GET of ${paths.length} demo-plant twins, ${connections} connections, ${seconds} s × ${rounds} rounds`,
  );

  const plain = await measure('admin token', url, paths, admin);

  // A partner reads the plant through a policy; other partners' policies fill the rule index.
  const partner = (await (
    await api('/api/v1/tokens', { method: 'POST', json: { name: 'bench partner', role: 'partner' } })
  ).json()) as {
    id: string;
    token: string;
  };
  const started = performance.now();
  for (let i = 0; i < policyCount; i++) {
    const subject = i === 0 ? `key:${partner.id}` : `group:other-${i}`;
    const resource = i === 0 ? `twin:/${tenant}` : `twin:/${tenant}/line-${i % 40}/x-${i}`;
    const res = await api(`/api/v1/policies/bench-${i}`, {
      method: 'PUT',
      json: { entries: { share: { subjects: [subject], resources: { [resource]: { grant: ['read'] } } } } },
    });
    if (res.status !== 201) throw new Error(`policy ${i}: ${res.status} ${await res.text()}`);
  }
  console.log(`${policyCount} policies stored in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const withPolicies = await measure('partner via policy', url, paths, {
    authorization: `Bearer ${partner.token}`,
  });

  // The ceiling: the same document from a bare fastify route.
  const document = await (await api(paths[0]!)).text();
  bare.kill();
  const ceilingProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '_bare-fastify.ts'), document],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const ceilingUrl = await new Promise<string>((resolve, reject) => {
    ceilingProcess.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    ceilingProcess.once('exit', (code) => reject(new Error(`bare fastify exited with ${code}`)));
  });
  const ceiling = await measure('bare fastify', ceilingUrl, paths, {});
  ceilingProcess.kill();

  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;
  console.log(
    `with ${policyCount} policies: ${withPolicies.rps.toFixed(0)} req/s, ${pct(withPolicies.rps, plain.rps)} of the admin figure`,
  );
  console.log(`bare fastify ceiling: ${ceiling.rps.toFixed(0)} req/s`);
  console.log(
    `api twin reads: median ${plain.rps.toFixed(0)} req/s (p50 ${plain.p50} ms, p99 ${plain.p99} ms), ${pct(plain.rps, ceiling.rps)} of bare fastify; through policies ${withPolicies.rps.toFixed(0)} req/s`,
  );
} finally {
  bare.kill();
  server.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
