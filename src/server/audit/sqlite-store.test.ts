import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { chainNext, verifyChain, type AuditEntry } from './chain.js';
import { auditEntry } from './entry.js';
import { SqliteAuditStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'imverse-audit-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (n: number): AuditEntry => ({
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  actor: n % 2 === 0 ? 'alice' : 'bob',
  credential: `token:${n}`,
  action: n % 3 === 0 ? 'token.revoke' : 'token.create',
  target: `t${n}`,
  source: '127.0.0.1',
  result: n % 5 === 0 ? 'refused' : 'ok',
  repeat: 1,
});

function filled(name: string, count: number): SqliteAuditStore {
  const store = new SqliteAuditStore(join(dir, name));
  for (let n = 1; n <= count; n++) store.append(entry(n));
  return store;
}

describe('SqliteAuditStore', () => {
  it('appends records that chain and read back exactly, newest first, filtered and paged', () => {
    const store = filled('list.sqlite', 20);
    expect(verifyChain(store.records())).toMatchObject({ intact: true, records: 20, head: store.head });
    const page = store.list({ limit: 5 });
    expect(page.map((r) => r.seq)).toEqual([20, 19, 18, 17, 16]);
    expect(store.list({ before: 16, limit: 2 }).map((r) => r.seq)).toEqual([15, 14]);
    expect(store.list({ actor: 'alice', action: 'token.revoke', limit: 100 }).map((r) => r.seq)).toEqual([
      18, 12, 6,
    ]);
    expect(store.list({ result: 'refused', limit: 100 }).map((r) => r.seq)).toEqual([20, 15, 10, 5]);
    expect(store.list({ since: entry(3).time, until: entry(6).time, limit: 100 }).map((r) => r.seq)).toEqual([
      5, 4, 3,
    ]);
    store.close();
  });

  it('refuses, by trigger, to update or delete a record or to insert one off the chain', () => {
    const store = filled('triggers.sqlite', 3);
    store.close();
    const db = new Database(join(dir, 'triggers.sqlite'));
    expect(() => db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
    };
    const insert = db.prepare(
      'INSERT INTO audit_log (seq, time, actor, action, result, repeat, prev, hash) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
    );
    const forged = chainNext(head, entry(9));
    expect(() => insert.run(7, forged.time, 'x', 'y', 'ok', forged.prev, forged.hash)).toThrow(/next link/);
    expect(() => insert.run(4, forged.time, 'x', 'y', 'ok', 'f'.repeat(64), forged.hash)).toThrow(
      /next link/,
    );
    expect(() =>
      db.prepare('INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log WHERE seq = 1').run(),
    ).toThrow(/next link/);
    db.close();
    const reopened = new SqliteAuditStore(join(dir, 'triggers.sqlite'), { readonly: true });
    expect(verifyChain(reopened.records())).toMatchObject({ intact: true, records: 3 });
    reopened.close();
  });

  it('stores text that outsiders choose so that it hashes the same after the round trip', () => {
    const store = new SqliteAuditStore(join(dir, 'text.sqlite'));
    store.append(
      auditEntry(
        { actor: 'a\u0000b', action: 'x', target: `/p/\uD800${'y'.repeat(2000)}`, result: 'refused' },
        0,
      ),
    );
    store.append(auditEntry({ actor: 'fa\u00e7ade \u{1F3ED} \u202Eevil', action: 'GET /', result: 'ok' }, 1));
    expect(verifyChain(store.records())).toMatchObject({ intact: true, records: 2 });
    const [, first] = store.list({ limit: 2 });
    expect(first!.target!.length).toBe(512);
    store.close();
  });

  it('opens read-only: it cannot append, and it reads beside a writer', () => {
    const writer = filled('shared.sqlite', 2);
    const reader = new SqliteAuditStore(join(dir, 'shared.sqlite'), { readonly: true });
    expect(() => reader.append(entry(3))).toThrow(/read-only/);
    writer.append(entry(3));
    expect(verifyChain(reader.records())).toMatchObject({ intact: true, records: 3 });
    reader.close();
    writer.close();
  });
});
