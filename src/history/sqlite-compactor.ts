// Moves pending samples out of the head (head.ts, mirrored by the `log`): good-quality
// numbers into Gorilla chunks, everything else into `plain`. Each series is compacted in one
// transaction that also advances its `flushed_seq`, so a crash leaves the samples either still
// pending (replayed from the log) or compacted, never both and never neither. A late point that
// falls inside an existing chunk makes that chunk be decoded, merged (newer write wins) and re-encoded.
import type Database from 'better-sqlite3';
import { decodeChunk, encodeChunk } from './gorilla.js';
import type { Head, HeadRow } from './head.js';
import { chunkValue, isChunkable } from './sample-row.js';
import { MultiRowStatement } from './sqlite-batch.js';

type OldChunk = [id: number, start: number, end: number, count: number, data: Uint8Array];

export interface CompactorLimits {
  /** Pending rows that make a series due; chunks hold this many to twice as many points. */
  readonly chunkPoints: number;
  /** Log rows beyond which the series pinning the oldest rows are compacted even if not due. */
  readonly logRows: number;
}

export class SqliteCompactor {
  /** Series with at least `chunkPoints` pending rows, in the order they became due. */
  private readonly due = new Set<number>();
  private readonly stmt;
  private readonly plainInsert: MultiRowStatement;
  /** The log holds no batch that ends before this sequence number. */
  private truncatedTo: number;

  constructor(
    private readonly db: Database.Database,
    private readonly head: Head,
    private readonly limits: CompactorLimits,
    /** The highest log sequence number written so far. */
    private readonly logEnd: () => number,
    /** Told of a series' newest pending row just before its pending rows leave the head. */
    private readonly compacting: (series: number, newest: HeadRow) => void,
  ) {
    this.stmt = {
      tail: db
        .prepare(
          'SELECT id, start_time, end_time, count, data FROM chunks WHERE series = ? AND end_time < ? ORDER BY end_time DESC LIMIT 1',
        )
        .raw(),
      overlapping: db
        .prepare(
          'SELECT id, start_time, end_time, count, data FROM chunks WHERE series = ? AND end_time >= ? ORDER BY end_time',
        )
        .raw(),
      deleteChunk: db.prepare('DELETE FROM chunks WHERE id = ?'),
      insertChunk: db.prepare(
        'INSERT INTO chunks (series, start_time, end_time, count, min, max, sum, last, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      plainAny: db
        .prepare('SELECT 1 FROM plain WHERE series = ? AND time >= ? AND time <= ? LIMIT 1')
        .pluck(),
      plainDelete: db.prepare('DELETE FROM plain WHERE series = ? AND time = ?'),
      flushed: db.prepare('UPDATE series SET flushed_seq = ? WHERE id = ?'),
      // Whole batches before the first needed row go; the newest batch stays (see the schema).
      truncateLog: db.prepare(
        'DELETE FROM log WHERE first_seq < ? AND first_seq + count <= ? AND first_seq < (SELECT max(first_seq) FROM log)',
      ),
      logStart: db.prepare('SELECT coalesce(min(first_seq), 0) FROM log').pluck(),
    };
    this.plainInsert = new MultiRowStatement(
      db,
      'INSERT OR REPLACE INTO plain (series, time, value, flags) VALUES',
      4,
    );
    this.truncatedTo = this.stmt.logStart.get() as number;
  }

  /** Tells the compactor a series now has `pending` rows in the head (after an append). */
  noteAppended(series: number, pending: number): void {
    if (pending >= this.limits.chunkPoints) this.due.add(series);
  }

  /** Whether a call to step() has anything to do. */
  get hasWork(): boolean {
    return this.due.size > 0 || this.logNeeded > this.limits.logRows;
  }

  /** Log rows that pending series still need. */
  private get logNeeded(): number {
    const oldest = this.head.oldestSeq();
    return oldest === undefined ? 0 : this.logEnd() - oldest + 1;
  }

  /** Compacts due series (and those pinning an overlong log) until about `budget` rows have moved
   *  or the clock (performance.now) passes `deadline`. */
  step(budget: number, deadline = Infinity): number {
    let moved = 0;
    const done = (): boolean => moved >= budget || (deadline !== Infinity && performance.now() >= deadline);
    for (const series of this.due) {
      if (done()) break;
      moved += this.compact(series);
    }
    for (const series of this.head.seriesByAge()) {
      if (done() || this.logNeeded <= this.limits.logRows) break;
      moved += this.compact(series);
    }
    this.truncateLog();
    return moved;
  }

  /** Compacts every pending row of every series, however few. Returns the rows moved. */
  drain(): number {
    let moved = 0;
    for (const series of [...this.head.seriesByAge()]) moved += this.compact(series);
    this.truncateLog();
    return moved;
  }

  /** Compacts one series now (retention does this before it cuts). */
  compact(series: number): number {
    const count = this.head.count(series);
    if (count > 0) {
      this.db.transaction(() => this.compactSeries(series))();
      this.compacting(series, this.head.newest(series)!);
      this.head.clear(series);
    }
    this.due.delete(series);
    return count;
  }

  /** Deletes the log's prefix that no series needs any more (it touches only the first pages). */
  private truncateLog(): void {
    const keepFrom = this.head.oldestSeq() ?? this.logEnd() + 1;
    // Not for a handful of rows: each DELETE has a fixed cost.
    if (keepFrom - this.truncatedTo < 4096 && this.head.size > 0) return;
    if (keepFrom > this.truncatedTo) {
      this.stmt.truncateLog.run(keepFrom, keepFrom);
      this.truncatedTo = keepFrom;
    }
  }

  /** Drops a chunk's points before `cutoff` (retention), inside the caller's transaction. Returns how many. */
  trimChunk(series: number, chunkId: number, data: Uint8Array, cutoff: number): number {
    const { times, values } = decodeChunk(data);
    let first = 0;
    while (first < times.length && times[first]! < cutoff) first++;
    this.stmt.deleteChunk.run(chunkId);
    if (first < times.length) this.insertChunk(series, times.subarray(first), values.subarray(first));
    return first;
  }

  private compactSeries(series: number): void {
    const rows = this.head.rows(series);
    const lo = rows[0]![0];
    const hi = rows[rows.length - 1]![0];

    // The chunks the new rows fall into, plus a small chunk just before them, to be merged.
    const old: OldChunk[] = [];
    const tail = this.stmt.tail.get(series, lo) as OldChunk | undefined;
    if (tail !== undefined && tail[3] < this.limits.chunkPoints) old.push(tail);
    for (const chunk of this.stmt.overlapping.iterate(series, lo) as IterableIterator<OldChunk>) {
      if (chunk[1] > hi) break;
      old.push(chunk);
    }
    const decoded = old.map((chunk) => decodeChunk(chunk[4]));
    const baseLength = decoded.reduce((sum, d) => sum + d.times.length, 0);
    const baseT = new Float64Array(baseLength);
    const baseV = new Float64Array(baseLength);
    let offset = 0;
    for (const d of decoded) {
      baseT.set(d.times, offset);
      baseV.set(d.values, offset); // same-type set copies bits: NaN payloads survive
      offset += d.times.length;
    }

    // Merge by time; a pending row replaces a chunk point at the same time.
    const outT = new Float64Array(baseLength + rows.length);
    const outV = new Float64Array(baseLength + rows.length);
    const baseBits = new Uint32Array(baseV.buffer);
    const outBits = new Uint32Array(outV.buffer);
    const toPlain: unknown[] = [];
    const numericTimes: number[] = [];
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < baseLength || j < rows.length) {
      if (j === rows.length || (i < baseLength && baseT[i]! < rows[j]![0])) {
        outT[k] = baseT[i]!;
        outBits[2 * k] = baseBits[2 * i]!;
        outBits[2 * k + 1] = baseBits[2 * i + 1]!;
        i++;
        k++;
        continue;
      }
      const [time, value, flags] = rows[j++]!;
      if (i < baseLength && baseT[i] === time) i++;
      if (isChunkable(value, flags)) {
        outT[k] = time;
        outV[k++] = chunkValue(value, flags);
        numericTimes.push(time);
      } else {
        toPlain.push(series, time, value, flags);
      }
    }

    this.plainInsert.run(toPlain);
    if (numericTimes.length > 0 && this.stmt.plainAny.get(series, lo, hi) !== undefined) {
      for (const time of numericTimes) this.stmt.plainDelete.run(series, time);
    }
    for (const chunk of old) this.stmt.deleteChunk.run(chunk[0]);
    this.writeChunks(series, outT, outV, k);
    this.stmt.flushed.run(this.logEnd(), series);
  }

  /** Splits n points into chunks of chunkPoints..2*chunkPoints-1 points (fewer only when n is). */
  private writeChunks(series: number, times: Float64Array, values: Float64Array, n: number): void {
    const pieces = Math.max(1, Math.floor(n / this.limits.chunkPoints));
    for (let p = 0; p < pieces && n > 0; p++) {
      const a = Math.floor((p * n) / pieces);
      const b = Math.floor(((p + 1) * n) / pieces);
      this.insertChunk(series, times.subarray(a, b), values.subarray(a, b));
    }
  }

  private insertChunk(series: number, t: Float64Array, v: Float64Array): void {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let x = 0; x < v.length; x++) {
      const value = v[x]!;
      min = Math.min(min, value);
      max = Math.max(max, value);
      sum += value;
    }
    const data = encodeChunk(t, v);
    this.stmt.insertChunk.run(
      series,
      t[0]!,
      t[t.length - 1]!,
      t.length,
      min,
      max,
      sum,
      v[v.length - 1]!,
      data,
    );
  }
}
