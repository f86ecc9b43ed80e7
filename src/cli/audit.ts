// `imverse audit verify` and `imverse audit head`: check the audit log's hash chain, or print its
// head for anchoring. Read-only, so they work on a stopped platform's data and beside a running one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ImverseError, ValidationError } from '../core/errors.js';
import { verifyChain, type ChainHead } from '../server/audit/chain.js';
import { AUDIT_FILE, SqliteAuditStore } from '../server/audit/sqlite-store.js';
import { loadConfig } from './options.js';

interface AuditOptions {
  data?: string;
  json?: boolean;
}

/** Exit code 0 when the chain is intact, 1 when it names a changed, inserted, deleted or moved record. */
export async function auditVerifyCommand(options: AuditOptions & { anchor?: string }): Promise<number> {
  const anchor = options.anchor === undefined ? undefined : parseAnchor(options.anchor);
  const store = openReadOnly(options.data);
  try {
    const verdict = verifyChain(store.records(), anchor === undefined ? {} : { anchor });
    if (options.json) {
      console.log(JSON.stringify(verdict, null, 2));
    } else if (verdict.intact) {
      console.log(`audit log intact: ${verdict.records} records, head ${verdict.head.hash}`);
    } else {
      console.log(
        `audit log broken at record ${verdict.problem.record} (${verdict.problem.kind}): ${verdict.problem.message}`,
      );
      console.log(`the ${verdict.records} records before it are intact`);
    }
    return verdict.intact ? 0 : 1;
  } finally {
    store.close();
  }
}

/** Prints the newest record's hash: what to anchor elsewhere (a ledger, a printed report). */
export async function auditHeadCommand(options: AuditOptions): Promise<void> {
  const store = openReadOnly(options.data);
  try {
    console.log(options.json ? JSON.stringify(store.head) : store.head.hash);
  } finally {
    store.close();
  }
}

/** `SEQ:HASH`, as `imverse audit head --json` gives them. */
function parseAnchor(text: string): ChainHead {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (match === null || Number(match[1]) < 1) {
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      `--anchor must be SEQ:HASH (a record number and its 64-digit hex hash), not "${text}"`,
      { path: '/anchor' },
    );
  }
  return { seq: Number(match[1]), hash: match[2]! };
}

function openReadOnly(data: string | undefined): SqliteAuditStore {
  const { dataDir } = loadConfig({ dataDir: data });
  const file = join(dataDir, AUDIT_FILE);
  if (!existsSync(file)) throw new ImverseError('IMV_AUDIT_LOG_NOT_FOUND', `No ${AUDIT_FILE} in ${dataDir}`);
  return new SqliteAuditStore(file, { readonly: true });
}
