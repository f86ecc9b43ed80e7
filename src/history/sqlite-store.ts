// The embedded history store: one SQLite file (better-sqlite3, WAL). Each append is one blob in
// the write-ahead `log` (durable when `append` resolves) and goes into its in-memory mirror; a
// compactor then moves the points into Gorilla chunks (numbers) or a `plain` table (everything
// else), in short slices between appends. See docs/history.md.
import Database from 'better-sqlite3';
import { BucketAccumulator } from './bucket-accumulator.js';
import { decodeChunk } from './gorilla.js';
import { Head } from './head.js';
import { fromRow, isAggregated, toRow, type RowValue } from './sample-row.js';
import { decodeLogBatch, LogBatchWriter } from './log-batch.js';
import { SqliteCompactor } from './sqlite-compactor.js';
import { HISTORY_SCHEMA } from './sqlite-schema.js';
import { SeriesRegistry } from './series-registry.js';
import { seriesId } from './store.js';
import type { Bucket, HistoryPoint, HistoryStore, Sample, SeriesKey } from './store.js';
import {
  checkInterval,
  checkLimit,
  checkNow,
  checkPoints,
  checkRetention,
  checkTime,
  checkWidth,
} from './validate.js';

export interface SqliteHistoryStoreOptions {
  /** `full` survives power loss; the default `normal` survives process crashes (kill -9) and is faster. */
  readonly synchronous?: 'normal' | 'full';
  /** Page cache in MiB. */
  readonly cacheMiB?: number;
  /** Pending rows that make a series due for compaction; chunks hold this many to twice as many points. */
  readonly chunkPoints?: number;
  /** Log rows (and in-memory pending rows) beyond which series are compacted even if not due. */
  readonly logRows?: number;
  /** How long one slice of compaction between appends may hold the event loop (ms). */
  readonly compactSliceMs?: number;
  /** How often the background compactor runs (ms); 0 turns it off. */
  readonly compactEveryMs?: number;
  /** Rows the background compactor moves per run, bounding how long it holds the event loop. */
  readonly compactBudget?: number;
  /** Where compaction errors go (the points stay pending in the log, nothing is lost). */
  readonly onError?: (error: unknown) => void;
}

type SampleRow = [time: number, value: RowValue, flags: number];
type ChunkRow = [
  start: number,
  end: number,
  count: number,
  min: number | null,
  max: number | null,
  sum: number | null,
  last: number | null,
  data: Uint8Array,
];

const num = (value: number | null): number => value ?? NaN; // SQLite stores NaN as NULL

export class SqliteHistoryStore implements HistoryStore {
  readonly db: Database.Database;
  private readonly series = new SeriesRegistry();
  private readonly head = new Head();
  /** The newest compacted sample of each series; the head has the newest pending one. latest() of
   *  10k series reads no SQL, and an append does no per-point bookkeeping for it. */
  private readonly newest = new Map<number, Sample>();
  private readonly compactor: SqliteCompactor;
  /** The sequence number of the last row written to the log. */
  private logEnd = 0;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly stmt;
  private compactionScheduled = false;
  private readonly options: Required<Omit<SqliteHistoryStoreOptions, 'synchronous' | 'cacheMiB'>>;

  constructor(file: string, options: SqliteHistoryStoreOptions = {}) {
    this.options = {
      chunkPoints: options.chunkPoints ?? 720,
      logRows: options.logRows ?? 8_000_000,
      compactSliceMs: options.compactSliceMs ?? 2,
      compactEveryMs: options.compactEveryMs ?? 1000,
      compactBudget: options.compactBudget ?? 20_000,
      onError:
        options.onError ?? ((error) => process.emitWarning(`history compaction failed: ${String(error)}`)),
    };
    this.db = new Database(file);
    // Before any table exists: lets the store hand pages freed by compaction back (reclaimSpace).
    this.db.pragma('auto_vacuum = INCREMENTAL');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma(`cache_size = -${(options.cacheMiB ?? 256) * 1024}`);
    this.db.pragma('temp_store = MEMORY');
    this.db.exec(HISTORY_SCHEMA);
    const db = this.db;
    this.stmt = {
      insertSeries: db.prepare('INSERT INTO series (twin, field) VALUES (?, ?)'),
      insertLog: db.prepare('INSERT INTO log (first_seq, count, data) VALUES (?, ?, ?)'),
      fields: db.prepare('SELECT field FROM series WHERE twin = ? ORDER BY field').pluck(),
      plainRange: db
        .prepare(
          'SELECT time, value, flags FROM plain WHERE series = ? AND time >= ? AND time < ? ORDER BY time LIMIT ?',
        )
        .raw(),
      chunksFrom: db
        .prepare(
          'SELECT start_time, end_time, count, min, max, sum, last, data FROM chunks WHERE series = ? AND end_time >= ? ORDER BY end_time',
        )
        .raw(),
      lastChunk: db
        .prepare('SELECT end_time, last FROM chunks WHERE series = ? ORDER BY end_time DESC LIMIT 1')
        .raw(),
      lastPlain: db
        .prepare('SELECT time, value, flags FROM plain WHERE series = ? ORDER BY time DESC LIMIT 1')
        .raw(),
      plainAtOrBefore: db
        .prepare(
          'SELECT time, value, flags FROM plain WHERE series = ? AND time <= ? ORDER BY time DESC LIMIT 1',
        )
        .raw(),
      chunkEndingFrom: db
        .prepare(
          'SELECT start_time, data FROM chunks WHERE series = ? AND end_time >= ? ORDER BY end_time LIMIT 1',
        )
        .raw(),
      chunkEndingBefore: db
        .prepare(
          'SELECT end_time, last FROM chunks WHERE series = ? AND end_time < ? ORDER BY end_time DESC LIMIT 1',
        )
        .raw(),
      setRetention: db.prepare('INSERT OR REPLACE INTO retention (twin, field, ms) VALUES (?, ?, ?)'),
      clearRetention: db.prepare('DELETE FROM retention WHERE twin = ? AND field = ?'),
      retentionRules: db.prepare('SELECT twin, field, ms FROM retention').raw(),
      dropPlain: db.prepare('DELETE FROM plain WHERE series = ? AND time < ?'),
      countOldChunks: db
        .prepare('SELECT coalesce(sum(count), 0) FROM chunks WHERE series = ? AND end_time < ?')
        .pluck(),
      dropChunks: db.prepare('DELETE FROM chunks WHERE series = ? AND end_time < ?'),
      straddling: db
        .prepare('SELECT id, data FROM chunks WHERE series = ? AND start_time < ? AND end_time >= ?')
        .raw(),
    };
    const flushed = new Map<number, number>();
    for (const [id, twin, field, seq] of db
      .prepare('SELECT id, twin, field, flushed_seq FROM series')
      .raw()
      .all() as [number, string, string, number][]) {
      this.series.add(id, { twin, field });
      flushed.set(id, seq);
      this.logEnd = Math.max(this.logEnd, seq);
    }
    this.compactor = new SqliteCompactor(
      db,
      this.head,
      this.options,
      () => this.logEnd,
      (id, [time, value, flags]) => this.remember(id, time, value, flags),
    );
    for (const id of flushed.keys()) this.rememberCompacted(id);
    this.migrateRowLog(flushed);
    // Replay what was appended but not compacted before the last close (or crash).
    for (const [first, data] of db
      .prepare('SELECT first_seq, data FROM log ORDER BY first_seq')
      .raw()
      .iterate() as IterableIterator<[number, Uint8Array]>) {
      const batch = decodeLogBatch(data);
      for (let i = 0; i < batch.count; i++) {
        const series = batch.series[i]!;
        if (first + i <= (flushed.get(series) ?? Infinity)) continue;
        const value = batch.others.has(i) ? batch.others.get(i)! : batch.numbers[i]!;
        this.head.push(series, first + i, batch.times[i]!, value, batch.flags[i]!);
      }
      this.logEnd = Math.max(this.logEnd, first + batch.count - 1);
    }
    for (const id of this.head.seriesByAge()) this.compactor.noteAppended(id, this.head.count(id));
    if (this.options.compactEveryMs > 0) {
      this.timer = setInterval(() => this.backgroundCompaction(), this.options.compactEveryMs);
      this.timer.unref();
    }
  }

  async append(points: readonly HistoryPoint[]): Promise<void> {
    checkPoints(points);
    const n = points.length;
    if (n === 0) return;
    const created: number[] = [];
    const batch = new LogBatchWriter(n);
    const values = new Array<RowValue>(n);
    const firstSeq = this.logEnd + 1;
    try {
      this.db.transaction(() => {
        for (let i = 0; i < n; i++) {
          const point = points[i]!;
          const id = this.seriesFor(point, created);
          const { value, quality } = point;
          // Most points are good numbers: no tuple for them.
          if (typeof value === 'number' && value === value && (quality === undefined || quality === 'good')) {
            batch.set(i, id, point.time, (values[i] = value), 0);
          } else {
            const [row, flags] = toRow(value, quality);
            batch.set(i, id, point.time, (values[i] = row), flags);
          }
        }
        this.stmt.insertLog.run(firstSeq, n, batch.encode());
      })();
    } catch (error) {
      // The series rows were rolled back with the rest: forget their ids too.
      for (const id of created) this.series.remove(id);
      throw error;
    }
    // Committed: now the in-memory mirror of the log.
    this.logEnd = firstSeq + n - 1;
    const { series, times, flags } = batch;
    for (let i = 0; i < n; i++) {
      const id = series[i]!;
      this.compactor.noteAppended(id, this.head.push(id, firstSeq + i, times[i]!, values[i]!, flags[i]!));
    }
    // The caller's points are committed; compaction runs after it has been told so. A log grown past
    // its limit is the exception: then the writer waits, which holds back a faster ingest.
    try {
      if (this.head.size > this.options.logRows) this.compactor.step(2 * n);
    } catch (error) {
      this.options.onError(error);
    }
    this.scheduleCompaction();
  }

  async range(key: SeriesKey, from: number, to: number, limit?: number): Promise<Sample[]> {
    checkInterval(from, to);
    checkLimit(limit);
    const id = this.series.id(key);
    if (id === undefined || from === to || limit === 0) return [];
    const max = limit ?? -1;
    const fromChunks: Sample[] = [];
    for (const chunk of this.stmt.chunksFrom.iterate(id, from) as IterableIterator<ChunkRow>) {
      if (chunk[0] >= to || (limit !== undefined && fromChunks.length >= limit)) break;
      const { times, values } = decodeChunk(chunk[7]);
      for (let i = 0; i < times.length; i++) {
        const time = times[i]!;
        if (time >= from && time < to) fromChunks.push({ time, value: values[i]!, quality: 'good' });
      }
    }
    const plain = this.rows(this.stmt.plainRange.all(id, from, to, max) as SampleRow[]);
    const recent = this.rows(this.head.rows(id, from, to).slice(0, limit));
    const merged = mergeByTime(mergeByTime(fromChunks, plain), recent);
    return limit === undefined ? merged : merged.slice(0, limit);
  }

  async latest(keys: readonly SeriesKey[]): Promise<Map<string, Sample>> {
    const result = new Map<string, Sample>();
    for (const key of keys) {
      const id = this.series.id(key);
      if (id === undefined) continue;
      const pending = this.head.newest(id);
      const compacted = this.newest.get(id);
      // A pending row at the same time as the compacted sample is the later write.
      const sample =
        pending !== undefined && (compacted === undefined || pending[0] >= compacted.time)
          ? fromRow(...pending)
          : compacted;
      if (sample !== undefined) result.set(this.series.name(id), sample);
    }
    return result;
  }

  async latestAt(keys: readonly SeriesKey[], time: number): Promise<Map<string, Sample>> {
    checkTime(time);
    const result = new Map<string, Sample>();
    for (const key of keys) {
      const id = this.series.id(key);
      if (id === undefined) continue;
      const sample = this.sampleAt(id, time);
      if (sample !== undefined) result.set(this.series.name(id), sample);
    }
    return result;
  }

  async rangeMany(
    keys: readonly SeriesKey[],
    from: number,
    to: number,
    limit: number,
  ): Promise<HistoryPoint[]> {
    checkInterval(from, to);
    checkLimit(limit);
    const found: Array<{ i: number; point: HistoryPoint }> = [];
    for (let i = 0; i < keys.length; i++) {
      const { twin, field } = keys[i]!;
      // Each series' first `limit` samples hold every sample the merged first `limit` can take.
      for (const sample of await this.range(keys[i]!, from, to, limit)) {
        found.push({ i, point: { twin, field, ...sample } });
      }
    }
    found.sort((a, b) => a.point.time - b.point.time || a.i - b.i);
    return found.slice(0, limit).map((f) => f.point);
  }

  /** A series' latest sample at or before `time`: the newest of the log's, the plain table's and the chunks'. */
  private sampleAt(id: number, time: number): Sample | undefined {
    // Times are integers: time <= t is time < floor(t) + 1.
    const pending = this.head.rows(id, -Infinity, Math.floor(time) + 1).at(-1);
    let best: Sample | undefined;
    const plain = this.stmt.plainAtOrBefore.get(id, time) as SampleRow | undefined;
    if (plain !== undefined) best = fromRow(...plain);
    // The first chunk ending at or after `time` holds it if it starts by then; else the chunk before
    // ends earlier, and its summary's `last` is its newest sample, no decoding needed.
    const across = this.stmt.chunkEndingFrom.get(id, time) as [number, Uint8Array] | undefined;
    let fromChunk: Sample | undefined;
    if (across !== undefined && across[0] <= time) {
      const { times, values } = decodeChunk(across[1]);
      for (let i = times.length - 1; i >= 0; i--) {
        if (times[i]! <= time) {
          fromChunk = { time: times[i]!, value: values[i]!, quality: 'good' };
          break;
        }
      }
    } else {
      const before = this.stmt.chunkEndingBefore.get(id, time) as [number, number | null] | undefined;
      if (before !== undefined) fromChunk = fromRow(before[0], ...toRow(before[1] ?? NaN, 'good'));
    }
    if (fromChunk !== undefined && (best === undefined || fromChunk.time > best.time)) best = fromChunk;
    // A pending row at the same time as a compacted sample is the later write.
    if (pending !== undefined && (best === undefined || pending[0] >= best.time)) best = fromRow(...pending);
    return best;
  }

  async buckets(key: SeriesKey, from: number, to: number, width: number): Promise<Bucket[]> {
    checkInterval(from, to);
    checkWidth(width);
    const id = this.series.id(key);
    if (id === undefined || from === to) return [];
    const acc = new BucketAccumulator(width);
    const recent = this.head.rows(id, from, to);
    const plain = this.stmt.plainRange.all(id, from, to, -1) as SampleRow[];
    // A recent row replaces an older sample at the same time; walk them alongside, in time order.
    let r = 0;
    const skipTo = (time: number): void => {
      while (r < recent.length && recent[r]![0] < time) r++;
    };
    const replaced = (time: number): boolean => {
      skipTo(time);
      return r < recent.length && recent[r]![0] === time;
    };
    for (const chunk of this.stmt.chunksFrom.iterate(id, from) as IterableIterator<ChunkRow>) {
      const [start, end, count, min, max, sum, last, data] = chunk;
      if (start >= to) break;
      skipTo(start);
      const untouched = r === recent.length || recent[r]![0] > end;
      if (untouched && start >= from && end < to && acc.sameBucket(start, end)) {
        acc.addSummary(end, count, num(min), num(max), num(sum), num(last));
        continue;
      }
      const { times, values } = decodeChunk(data);
      for (let i = 0; i < times.length; i++) {
        const time = times[i]!;
        if (time >= from && time < to && !replaced(time)) acc.addNumber(time, values[i]!);
      }
    }
    r = 0;
    for (const [time, value, flags] of plain) {
      if (!replaced(time)) this.addSample(acc, fromRow(time, value, flags));
    }
    for (const [time, value, flags] of recent) this.addSample(acc, fromRow(time, value, flags));
    return acc.result();
  }

  async fields(twin: string): Promise<string[]> {
    return this.stmt.fields.all(twin) as string[];
  }

  async setRetention(key: { twin: string; field: string | '*' }, ms: number): Promise<void> {
    checkRetention(key, ms);
    if (ms === Infinity) this.stmt.clearRetention.run(key.twin, key.field);
    else this.stmt.setRetention.run(key.twin, key.field, ms);
  }

  async enforceRetention(now: number): Promise<number> {
    checkNow(now);
    const rules = new Map<string, number>();
    for (const [twin, field, ms] of this.stmt.retentionRules.all() as [string, string, number][]) {
      rules.set(seriesId({ twin, field }), ms);
    }
    if (rules.size === 0) return 0;
    let removed = 0;
    for (const [id, key] of this.series.all()) {
      const ms = rules.get(seriesId(key)) ?? rules.get(seriesId({ twin: key.twin, field: '*' }));
      if (ms === undefined) continue;
      // Pending rows first go where retention can cut them (the log would replay them otherwise).
      this.compactor.compact(id);
      removed += this.db.transaction(() => this.dropBefore(id, now - ms))();
    }
    return removed;
  }

  /** Compacts now: every pending row with `all`, else up to `budget` rows of the series that are due. */
  compact(options: { all?: boolean; budget?: number } = {}): number {
    return options.all === true
      ? this.compactor.drain()
      : this.compactor.step(options.budget ?? this.options.compactBudget);
  }

  /** Returns the file's free pages (left by compaction and retention) to the operating system. */
  reclaimSpace(): void {
    this.db.pragma('incremental_vacuum');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.db.open) this.db.close();
  }

  /** Compacts in slices of at most compactSliceMs between turns of the event loop, until caught up. */
  private scheduleCompaction(): void {
    if (this.compactionScheduled || !this.compactor.hasWork) return;
    this.compactionScheduled = true;
    setImmediate(() => {
      this.compactionScheduled = false;
      if (!this.db.open) return;
      try {
        this.compactor.step(Infinity, performance.now() + this.options.compactSliceMs);
      } catch (error) {
        this.options.onError(error);
        return;
      }
      this.scheduleCompaction();
    });
  }

  /** Keeps `newest` up to date with a sample; the later write wins at the same time. */
  private remember(id: number, time: number, value: RowValue, flags: number): void {
    const known = this.newest.get(id);
    if (known === undefined || time >= known.time) this.newest.set(id, fromRow(time, value, flags));
  }

  /** The newest compacted sample of a series, from its last chunk or plain row. */
  private rememberCompacted(id: number): void {
    const chunk = this.stmt.lastChunk.get(id) as [number, number | null] | undefined;
    const plain = this.stmt.lastPlain.get(id) as SampleRow | undefined;
    if (chunk !== undefined) this.remember(id, chunk[0], ...toRow(chunk[1] ?? NaN, 'good'));
    if (plain !== undefined && (chunk === undefined || plain[0] > chunk[0])) this.remember(id, ...plain);
  }

  /** Stores written before the log held blobs kept one row per point in `recent`: compact those rows. */
  private migrateRowLog(flushed: Map<number, number>): void {
    const exists = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'recent'")
      .pluck()
      .get();
    if (exists === undefined) return;
    const rows = this.db
      .prepare('SELECT seq, series, time, value, flags FROM recent ORDER BY seq')
      .raw()
      .iterate() as IterableIterator<[number, number, number, RowValue, number]>;
    for (const [seq, series, time, value, flags] of rows) {
      this.logEnd = Math.max(this.logEnd, seq);
      if (seq <= (flushed.get(series) ?? Infinity)) continue;
      this.head.push(series, seq, time, value, flags);
    }
    this.compactor.drain();
    this.db.exec('DROP TABLE recent; DROP TABLE IF EXISTS latest');
  }

  private backgroundCompaction(): void {
    try {
      if (this.compactor.hasWork) {
        this.compactor.step(this.options.compactBudget, performance.now() + this.options.compactSliceMs);
      }
      // Give pages back only when a lot is free: the recent table reuses freed pages as it refills.
      const free = this.db.pragma('freelist_count', { simple: true }) as number;
      const total = this.db.pragma('page_count', { simple: true }) as number;
      if (free > 4096 && free > total / 4) this.db.pragma('incremental_vacuum(4096)');
    } catch (error) {
      this.options.onError(error);
    }
  }

  private seriesFor(key: SeriesKey, created: number[]): number {
    let id = this.series.id(key);
    if (id === undefined) {
      id = Number(this.stmt.insertSeries.run(key.twin, key.field).lastInsertRowid);
      this.series.add(id, key);
      created.push(id);
    }
    return id;
  }

  private rows(rows: SampleRow[]): Sample[] {
    return rows.map(([time, value, flags]) => fromRow(time, value, flags));
  }

  private addSample(acc: BucketAccumulator, sample: Sample): void {
    if (isAggregated(sample)) acc.addNumber(sample.time, sample.value as number);
    else acc.addOther(sample.time, sample.value);
  }

  /** Removes a series' samples before `cutoff`; whole chunks go, a chunk across the cutoff is cut. */
  private dropBefore(id: number, cutoff: number): number {
    let removed = this.stmt.dropPlain.run(id, cutoff).changes;
    removed += this.stmt.countOldChunks.get(id, cutoff) as number;
    this.stmt.dropChunks.run(id, cutoff);
    const across = this.stmt.straddling.get(id, cutoff, cutoff) as [number, Uint8Array] | undefined;
    if (across !== undefined) removed += this.compactor.trimChunk(id, across[0], across[1], cutoff);
    if ((this.newest.get(id)?.time ?? Infinity) < cutoff) this.newest.delete(id);
    return removed;
  }
}

/** Merges two time-ordered lists; at the same time the sample from `newer` wins. */
function mergeByTime(older: Sample[], newer: Sample[]): Sample[] {
  if (newer.length === 0) return older;
  if (older.length === 0) return newer;
  const out: Sample[] = [];
  let i = 0;
  let j = 0;
  while (i < older.length || j < newer.length) {
    if (j === newer.length || (i < older.length && older[i]!.time < newer[j]!.time)) {
      out.push(older[i++]!);
    } else {
      if (i < older.length && older[i]!.time === newer[j]!.time) i++;
      out.push(newer[j++]!);
    }
  }
  return out;
}
