// The audit log: durable appends (each one committed with a full sync, as the platform writes
// them), the verification rate of `imverse audit verify`, and refusals a flood offers the
// coalescer per second. `npm run bench -- audit [--records 2000] [--refusals 1000000] [--dir DIR]`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain } from '../src/server/audit/chain.js';
import { auditEntry } from '../src/server/audit/entry.js';
import { RefusalCoalescer } from '../src/server/audit/refusal-coalescer.js';
import { AUDIT_FILE, SqliteAuditStore } from '../src/server/audit/sqlite-store.js';
import { argValue } from './_stats.js';

const records = Number(argValue('records', '2000'));
const refusals = Number(argValue('refusals', '1000000'));
const dir = mkdtempSync(join(argValue('dir', tmpdir()), 'imverse-bench-audit-'));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

try {
  const store = new SqliteAuditStore(join(dir, AUDIT_FILE));
  const started = performance.now();
  for (let n = 0; n < records; n++) {
    store.append(
      auditEntry(
        {
          actor: 'bench',
          credential: 'token:0123456789ab',
          action: 'token.create',
          target: `token-${n}`,
          source: '127.0.0.1',
          result: 'ok',
        },
        Date.now(),
      ),
    );
  }
  const appendSeconds = (performance.now() - started) / 1000;
  store.close();

  const reader = new SqliteAuditStore(join(dir, AUDIT_FILE), { readonly: true });
  const verifyStarted = performance.now();
  const verdict = verifyChain(reader.records());
  const verifySeconds = (performance.now() - verifyStarted) / 1000;
  reader.close();
  if (!verdict.intact) throw new Error(`the log does not verify: ${verdict.problem.message}`);

  const coalescer = new RefusalCoalescer({ windowMs: 60_000, maxKinds: 100 });
  const refusal = auditEntry(
    { action: 'GET /api/v1/twins', source: '10.0.0.1', result: 'refused', code: 'IMV_AUTH_REQUIRED' },
    0,
  );
  const floodStarted = performance.now();
  let written = 0;
  for (let n = 0; n < refusals; n++) written += coalescer.admit(refusal, n / 1000).length;
  const floodSeconds = (performance.now() - floodStarted) / 1000;

  console.log(`verify: ${fmt(verdict.records / verifySeconds)} records/s (${fmt(verdict.records)} records)`);
  console.log(
    `refusal flood: ${fmt(refusals / floodSeconds)} refusals/s coalesced into ${written} record(s)`,
  );
  console.log(
    `audit appends: ${fmt(records / appendSeconds)}/s (${fmt(records)} durable appends, synchronous = FULL)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
