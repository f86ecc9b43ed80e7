// The audit log's hash chain. Each record's hash covers the previous record's hash and the record's
// own fields, so changing, inserting, deleting or reordering a stored record breaks the chain at
// that record. Pure (no I/O): a ledger can later anchor the head and check it with the same code.
import { createHash } from 'node:crypto';

export type AuditResult = 'ok' | 'refused' | 'failed';

/** What one record says; the log adds the sequence number and the chain. */
export interface AuditEntry {
  /** When the log recorded it, ISO 8601 in UTC. */
  readonly time: string;
  /** Who: the principal's name, or `anonymous`. */
  readonly actor: string;
  /** The credential used or affected: `token:ID`, `session:ID`, `device:NAME`, `user:NAME`. */
  readonly credential?: string;
  /** What: `token.create`, `GET /api/v1/twins/{id}`. */
  readonly action: string;
  /** To what: a twin, a token id, a user name, a URL path. */
  readonly target?: string;
  /** From where: the client address. */
  readonly source?: string;
  readonly result: AuditResult;
  /** The stable error code of a refusal or failure. */
  readonly code?: string;
  /** How many occurrences this record stands for: 1, or identical refusals counted into it. */
  readonly repeat: number;
}

export interface AuditRecord extends AuditEntry {
  /** 1, 2, 3, … with no gaps. */
  readonly seq: number;
  /** The hash of the record before (GENESIS_HASH for the first). */
  readonly prev: string;
  /** SHA-256 (hex) of canonicalRecord(this). */
  readonly hash: string;
}

export interface ChainHead {
  /** The sequence number of the newest record; 0 for an empty log. */
  readonly seq: number;
  readonly hash: string;
}

/** What the first record chains from. */
export const GENESIS_HASH = '0'.repeat(64);
export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** Names the encoding, so a future change of fields cannot be confused with this one. */
const ENCODING = 'imverse-audit/1';

/**
 * The bytes a record's hash covers: a JSON array of the encoding's name, the previous hash, the
 * sequence number and every field in a fixed order, absent fields as null. JSON.stringify of an
 * array of strings, numbers and nulls is fully specified, so any language can recompute it.
 */
export function canonicalRecord(prev: string, seq: number, entry: AuditEntry): string {
  return JSON.stringify([
    ENCODING,
    prev,
    seq,
    entry.time,
    entry.actor,
    entry.credential ?? null,
    entry.action,
    entry.target ?? null,
    entry.source ?? null,
    entry.result,
    entry.code ?? null,
    entry.repeat,
  ]);
}

export function recordHash(prev: string, seq: number, entry: AuditEntry): string {
  return createHash('sha256')
    .update(canonicalRecord(prev, seq, entry), 'utf8')
    .digest('hex');
}

/** The record that appends `entry` to a log whose newest record is `head`. */
export function chainNext(head: ChainHead, entry: AuditEntry): AuditRecord {
  const seq = head.seq + 1;
  return { ...entry, seq, prev: head.hash, hash: recordHash(head.hash, seq, entry) };
}

export type ChainProblemKind = 'changed' | 'inserted' | 'deleted' | 'reordered';

export interface ChainProblem {
  readonly kind: ChainProblemKind;
  /** The first record changed, inserted, deleted or out of order, by its sequence number. */
  readonly record: number;
  readonly message: string;
}

export type ChainVerdict =
  | { readonly intact: true; readonly records: number; readonly head: ChainHead }
  | {
      readonly intact: false;
      /** Records found intact before the problem. */
      readonly records: number;
      readonly problem: ChainProblem;
    };

export interface VerifyOptions {
  /** How many recent hashes to remember, to tell an insertion from other breaks. */
  readonly lookback?: number;
  /** How many records to read past a break, to tell a reordering from other breaks. */
  readonly lookahead?: number;
  /** A head kept elsewhere: the log must still hold it, which finds a cut-off tail and rewritten records. */
  readonly anchor?: ChainHead;
}

/**
 * Checks records in ascending sequence order and names the first one that was changed, inserted,
 * deleted or moved. A tail cut off the log, or records rewritten by someone who recomputes the
 * hashes, look intact by themselves: an `anchor` (a head kept elsewhere) finds those up to it.
 */
export function verifyChain(records: Iterable<AuditRecord>, options: VerifyOptions = {}): ChainVerdict {
  const lookback = options.lookback ?? 10_000;
  const lookahead = options.lookahead ?? 10_000;
  // Stored hash → sequence number of the records just read, bounded.
  const recent = new Map<string, number>([[GENESIS_HASH, 0]]);
  const iterator = records[Symbol.iterator]();
  let head: ChainHead = EMPTY_HEAD;
  let count = 0;
  const broken = (kind: ChainProblemKind, record: number, message: string): ChainVerdict => ({
    intact: false,
    records: count,
    problem: { kind, record, message },
  });
  try {
    for (let step = iterator.next(); step.done !== true; step = iterator.next()) {
      const record = step.value;
      const expected = head.seq + 1;
      if (record.seq > expected) {
        const missing =
          record.seq === expected + 1
            ? `record ${expected} was`
            : `records ${expected}–${record.seq - 1} were`;
        return broken(
          'deleted',
          expected,
          `${missing} deleted: the log goes from record ${head.seq} to ${record.seq}`,
        );
      }
      if (record.seq !== expected) {
        return broken(
          'inserted',
          record.seq,
          `record ${record.seq} was inserted: it is out of sequence after record ${head.seq}`,
        );
      }
      const selfConsistent = recordHash(record.prev, record.seq, record) === record.hash;
      if (record.prev !== head.hash) {
        return linkBroken(record, head, selfConsistent, recent, iterator, lookahead, broken);
      }
      if (!selfConsistent) {
        return broken(
          'changed',
          record.seq,
          `record ${record.seq} was changed: its hash does not match its content`,
        );
      }
      if (record.seq === options.anchor?.seq && record.hash !== options.anchor.hash) {
        return broken(
          'changed',
          record.seq,
          `record ${record.seq} is not the anchored one: the log up to it was rewritten and re-hashed`,
        );
      }
      recent.set(record.hash, record.seq);
      if (recent.size > lookback) recent.delete(recent.keys().next().value!);
      head = { seq: record.seq, hash: record.hash };
      count++;
    }
  } finally {
    iterator.return?.();
  }
  if (options.anchor !== undefined && options.anchor.seq > head.seq) {
    const missing =
      options.anchor.seq === head.seq + 1
        ? `record ${head.seq + 1} was`
        : `records ${head.seq + 1}–${options.anchor.seq} were`;
    return broken(
      'deleted',
      head.seq + 1,
      `${missing} deleted: the log ends before the anchored record ${options.anchor.seq}`,
    );
  }
  return { intact: true, records: count, head };
}

/** Why `record` does not chain from `head`, the record before it. */
function linkBroken(
  record: AuditRecord,
  head: ChainHead,
  selfConsistent: boolean,
  recent: ReadonlyMap<string, number>,
  rest: Iterator<AuditRecord>,
  lookahead: number,
  broken: (kind: ChainProblemKind, record: number, message: string) => ChainVerdict,
): ChainVerdict {
  const from = recent.get(record.prev);
  if (from !== undefined) {
    const first = from + 1;
    const what = first === head.seq ? `record ${first} was` : `records ${first}–${head.seq} were`;
    return broken('inserted', first, `${what} inserted: record ${record.seq} chains from record ${from}`);
  }
  for (let i = 0; i < lookahead; i++) {
    const step = rest.next();
    if (step.done === true) break;
    if (step.value.hash === record.prev) {
      return broken(
        'reordered',
        record.seq,
        `record ${record.seq} is out of order: it was written after the record now numbered ${step.value.seq}`,
      );
    }
  }
  // Renumbered after a deletion: the record hashes right under a later number it once had.
  for (let shift = 1; shift <= lookahead && !selfConsistent; shift++) {
    if (recordHash(record.prev, record.seq + shift, record) === record.hash) {
      const what = shift === 1 ? `record ${record.seq} was` : `${shift} records from ${record.seq} were`;
      return broken(
        'deleted',
        record.seq,
        `${what} deleted and the later records renumbered: record ${record.seq} was record ${record.seq + shift}`,
      );
    }
  }
  if (!selfConsistent) {
    return broken(
      'changed',
      record.seq,
      `record ${record.seq} was changed: its hash does not match its content, and it does not chain from record ${head.seq}`,
    );
  }
  // Self-consistent but chained to nothing in the log: forged, or the record before was re-hashed.
  return head.seq === 0
    ? broken('inserted', record.seq, `record ${record.seq} was inserted: it chains from no record in the log`)
    : broken(
        'changed',
        head.seq,
        `record ${head.seq} was changed and re-hashed, or record ${record.seq} forged: record ${record.seq} does not chain from record ${head.seq}`,
      );
}
