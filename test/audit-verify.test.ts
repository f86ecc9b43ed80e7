// `imverse audit verify` and `imverse audit head` on real audit.sqlite files: an untouched log
// passes; each way of tampering with it (through SQLite, triggers dropped) is named exactly.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainNext, type AuditRecord } from '../src/server/audit/chain.js';
import { auditEntry } from '../src/server/audit/entry.js';
import { AUDIT_FILE, SqliteAuditStore } from '../src/server/audit/sqlite-store.js';
import { startTestPlatform } from './helpers/platform.js';

const root = mkdtempSync(join(tmpdir(), 'imverse-audit-verify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function imverse(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 170_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const pristine = join(root, 'pristine');
let head = '';
beforeAll(() => {
  mkdirSync(pristine);
  const store = new SqliteAuditStore(join(pristine, AUDIT_FILE));
  for (let n = 1; n <= 10; n++) {
    store.append(
      auditEntry(
        {
          actor: n % 2 ? 'alice' : 'anonymous',
          credential: n % 2 ? `token:${n}` : undefined,
          action: n % 2 ? 'token.create' : 'GET /api/v1/tokens',
          target: `t-${n}`,
          source: '10.1.2.3',
          result: n % 2 ? 'ok' : 'refused',
          code: n % 2 ? undefined : 'IMV_AUTH_REQUIRED',
        },
        Date.UTC(2026, 0, 1, 8, 0, n),
      ),
    );
  }
  head = store.head.hash;
  store.close();
});

/** A copy of the untouched log, changed by `tamper` through a plain SQLite connection without the triggers. */
function tampered(name: string, tamper: (db: Database.Database) => void): string {
  const dir = join(root, name);
  mkdirSync(dir);
  copyFileSync(join(pristine, AUDIT_FILE), join(dir, AUDIT_FILE));
  const db = new Database(join(dir, AUDIT_FILE));
  db.exec(
    'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_append_at_head',
  );
  tamper(db);
  db.close();
  return dir;
}

/** Moves records from `from` on one place up (renumbering from the top, as the primary key needs). */
function makeRoomAt(db: Database.Database, from: number): void {
  db.prepare('UPDATE audit_log SET seq = -seq WHERE seq >= ?').run(from);
  db.prepare('UPDATE audit_log SET seq = 1 - seq WHERE seq < 0').run();
}

// Each command is a process of its own that loads the CLI: slow on a busy machine.
describe('imverse audit verify', { timeout: 180_000 }, () => {
  it('passes an untouched log and prints its size and head; head prints the same hash', () => {
    const verified = imverse('audit', 'verify', '--data', pristine);
    expect(verified.code).toBe(0);
    expect(verified.out.trim()).toBe(`audit log intact: 10 records, head ${head}`);
    const json = imverse('audit', 'verify', '--data', pristine, '--json');
    expect(JSON.parse(json.out)).toEqual({ intact: true, records: 10, head: { seq: 10, hash: head } });
    expect(imverse('audit', 'head', '--data', pristine).out.trim()).toBe(head);
    expect(JSON.parse(imverse('audit', 'head', '--data', pristine, '--json').out)).toEqual({
      seq: 10,
      hash: head,
    });
  });

  it('names a record whose field was edited', () => {
    const dir = tampered('edited', (db) =>
      db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4").run(),
    );
    const result = imverse('audit', 'verify', '--data', dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'audit log broken at record 4 (changed): record 4 was changed: its hash does not match its content',
    );
    expect(result.out).toContain('the 3 records before it are intact');
  });

  it('names a deleted record', () => {
    const dir = tampered('deleted', (db) => db.prepare('DELETE FROM audit_log WHERE seq = 6').run());
    const result = imverse('audit', 'verify', '--data', dir, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toEqual({
      intact: false,
      records: 5,
      problem: {
        kind: 'deleted',
        record: 6,
        message: 'record 6 was deleted: the log goes from record 5 to 7',
      },
    });
  });

  it('names a forged record inserted in the middle, even one hashed like the real ones', () => {
    const dir = tampered('inserted', (db) => {
      const before = db.prepare('SELECT * FROM audit_log WHERE seq = 5').get() as AuditRecord;
      makeRoomAt(db, 6);
      const forged = chainNext(before, { ...before, actor: 'mallory', action: 'token.revoke' });
      db.prepare(
        `INSERT INTO audit_log (seq, time, actor, credential, action, target, source, result, code, repeat, prev, hash)
         VALUES (@seq, @time, @actor, @credential, @action, @target, @source, @result, @code, @repeat, @prev, @hash)`,
      ).run({ credential: null, target: null, source: null, code: null, ...forged });
    });
    const result = imverse('audit', 'verify', '--data', dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'audit log broken at record 6 (inserted): record 6 was inserted: record 7 chains from record 5',
    );
  });

  it('names a forged record appended at the end', () => {
    const dir = tampered('appended', (db) =>
      db
        .prepare(
          "INSERT INTO audit_log (seq, time, actor, action, result, repeat, prev, hash) VALUES (11, '2026-01-01T09:00:00.000Z', 'mallory', 'token.create', 'ok', 1, ?, ?)",
        )
        .run(head, 'a'.repeat(64)),
    );
    const result = imverse('audit', 'verify', '--data', dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain('audit log broken at record 11 (changed)');
  });

  it('names records put in another order', () => {
    const dir = tampered('reordered', (db) => {
      db.prepare('UPDATE audit_log SET seq = -3 WHERE seq = 3').run();
      db.prepare('UPDATE audit_log SET seq = 3 WHERE seq = 4').run();
      db.prepare('UPDATE audit_log SET seq = 4 WHERE seq = -3').run();
    });
    const result = imverse('audit', 'verify', '--data', dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'audit log broken at record 3 (reordered): record 3 is out of order: it was written after the record now numbered 4',
    );
  });

  it('names records cut off the end when given the head anchored before', () => {
    const dir = tampered('truncated', (db) => db.prepare('DELETE FROM audit_log WHERE seq > 8').run());
    expect(imverse('audit', 'verify', '--data', dir).code).toBe(0);
    const result = imverse('audit', 'verify', '--data', dir, '--anchor', `10:${head}`);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'audit log broken at record 9 (deleted): records 9–10 were deleted: the log ends before the anchored record 10',
    );
  });

  it('says so when the data directory has no audit log', () => {
    const result = imverse('audit', 'verify', '--data', join(root, 'nothing-here'));
    expect(result.code).toBe(1);
    expect(result.err).toContain('error IMV_AUDIT_LOG_NOT_FOUND');
  });

  it('reads the log of a running platform, and of the same platform stopped', async () => {
    const dataDir = join(root, 'platform');
    const platform = await startTestPlatform({ dataDir });
    const newestRecord = async () =>
      ((await (await platform.api('/api/v1/audit?limit=1')).json()) as { value: AuditRecord[] }).value[0]!;
    let newest: AuditRecord;
    try {
      expect((await platform.api('/api/v1/tokens', { token: 'imv_wrong' })).status).toBe(401);
      newest = await newestRecord();
      const running = imverse('audit', 'verify', '--data', dataDir);
      expect(running.code).toBe(0);
      expect(running.out.trim()).toBe(`audit log intact: ${newest.seq} records, head ${newest.hash}`);
      expect(imverse('audit', 'head', '--data', dataDir).out.trim()).toBe(newest.hash);
      // The platform goes on appending after a reader has been there.
      expect((await platform.api('/api/v1/devices', { token: null })).status).toBe(401);
      expect((await newestRecord()).seq).toBe(newest.seq + 1);
      newest = await newestRecord();
    } finally {
      await platform.close();
    }
    const stopped = imverse('audit', 'verify', '--data', dataDir);
    expect(stopped.code).toBe(0);
    expect(stopped.out.trim()).toBe(`audit log intact: ${newest.seq} records, head ${newest.hash}`);
  });
});
