import { describe, expect, it } from 'vitest';
import {
  canonicalRecord,
  chainNext,
  EMPTY_HEAD,
  GENESIS_HASH,
  recordHash,
  verifyChain,
  type AuditEntry,
  type AuditRecord,
} from './chain.js';

function entry(n: number): AuditEntry {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    actor: `user-${n}`,
    action: 'token.create',
    target: `t${n}`,
    result: 'ok',
    repeat: 1,
  };
}

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  let head = EMPTY_HEAD;
  for (let n = 1; n <= length; n++) {
    const record = chainNext(head, entry(n));
    records.push(record);
    head = record;
  }
  return records;
}

/** Renumbers records 1, 2, 3, … in their new order, as a tamperer hiding a gap would. */
const renumber = (records: AuditRecord[]) => records.map((record, i) => ({ ...record, seq: i + 1 }));

describe('the audit hash chain', () => {
  it('chains the first record from the genesis hash, each next one from the one before', () => {
    const [first, second] = chain(2);
    expect(first!.prev).toBe(GENESIS_HASH);
    expect(first!.seq).toBe(1);
    expect(second!.prev).toBe(first!.hash);
    expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes a fixed, documented encoding with SHA-256', () => {
    const record = chainNext(EMPTY_HEAD, { ...entry(1), code: undefined });
    expect(canonicalRecord(GENESIS_HASH, 1, record)).toBe(
      `["imverse-audit/1","${GENESIS_HASH}",1,"2026-01-01T00:00:01.000Z","user-1",null,"token.create","t1",null,"ok",null,1]`,
    );
    // Pinned (and checked with sha256sum): a change of encoding would stop every stored log verifying.
    expect(record.hash).toBe(recordHash(GENESIS_HASH, 1, record));
    expect(record.hash).toBe('7155668fc91877e2d2be3e6dd29a3be9a503270ec3eefc2b4f6baba5cbfccad0');
  });

  it('finds an untouched chain intact and names its head', () => {
    const records = chain(5);
    expect(verifyChain(records)).toEqual({
      intact: true,
      records: 5,
      head: { seq: 5, hash: records[4]!.hash },
    });
    expect(verifyChain([])).toEqual({ intact: true, records: 0, head: EMPTY_HEAD });
  });

  it('names a changed record', () => {
    const records = chain(6);
    records[3] = { ...records[3]!, actor: 'someone else' };
    const verdict = verifyChain(records);
    expect(verdict).toMatchObject({ intact: false, records: 3, problem: { kind: 'changed', record: 4 } });
  });

  it('names a deleted record by the gap it leaves', () => {
    const records = chain(6);
    records.splice(2, 1);
    expect(verifyChain(records)).toMatchObject({ intact: false, problem: { kind: 'deleted', record: 3 } });
  });

  it('names a deleted record when the later ones were renumbered', () => {
    const records = chain(6);
    records.splice(2, 2);
    expect(verifyChain(renumber(records))).toMatchObject({
      intact: false,
      problem: { kind: 'deleted', record: 3 },
    });
  });

  it('names the first of records inserted in the middle, even when correctly hashed', () => {
    const records = chain(6);
    const forged = chainNext(records[2]!, { ...entry(99), actor: 'forger' });
    records.splice(3, 0, forged);
    expect(verifyChain(renumber(records))).toMatchObject({
      intact: false,
      problem: { kind: 'inserted', record: 4 },
    });
  });

  it('names a record moved out of order', () => {
    const records = chain(6);
    [records[2], records[3]] = [records[3]!, records[2]!];
    expect(verifyChain(renumber(records))).toMatchObject({
      intact: false,
      problem: { kind: 'reordered', record: 3 },
    });
  });

  it('names a record with a forged hash appended at the end', () => {
    const records = chain(3);
    records.push({ ...chainNext(records[2]!, entry(4)), hash: 'f'.repeat(64) });
    expect(verifyChain(records)).toMatchObject({ intact: false, problem: { kind: 'changed', record: 4 } });
  });

  it('names a record changed and re-hashed by the link it breaks', () => {
    const records = chain(5);
    const changed = { ...records[1]!, actor: 'someone else' };
    records[1] = { ...changed, hash: recordHash(changed.prev, changed.seq, changed) };
    expect(verifyChain(records)).toMatchObject({ intact: false, problem: { kind: 'changed', record: 2 } });
  });
});

describe('verifying against an anchored head', () => {
  it('passes a log that still holds the anchor, and later records after it', () => {
    const records = chain(6);
    expect(verifyChain(records, { anchor: records[3]! })).toMatchObject({ intact: true, records: 6 });
  });

  it('names records cut off the end before the anchor', () => {
    const records = chain(6);
    const anchor = records[5]!;
    expect(verifyChain(records.slice(0, 4), { anchor })).toMatchObject({
      intact: false,
      problem: { kind: 'deleted', record: 5 },
    });
  });

  it('names the anchored record when the log up to it was rewritten with fresh hashes', () => {
    const original = chain(4);
    const rewritten: AuditRecord[] = [];
    let head = EMPTY_HEAD;
    for (const record of original) {
      const next = chainNext(head, record.seq === 2 ? { ...record, actor: 'mallory' } : record);
      rewritten.push(next);
      head = next;
    }
    expect(verifyChain(rewritten)).toMatchObject({ intact: true });
    expect(verifyChain(rewritten, { anchor: original[3]! })).toMatchObject({
      intact: false,
      problem: { kind: 'changed', record: 4 },
    });
  });
});
