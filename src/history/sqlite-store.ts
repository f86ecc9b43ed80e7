// The embedded history store: one SQLite file (better-sqlite3, WAL). Appends land in the
// uncompressed `recent` log in one transaction (durable when `append` resolves) and in its
// in-memory mirror; a compactor moves them into Gorilla chunks (numbers) or a `plain` table
// (everything else). See docs/history.md.
import Database from 'better-sqlite3';
import { BucketAccumulator } from './bucket-accumulator.js';
import { decodeChunk } from './gorilla.js';
import { Head } from './head.js';
import { fromRow, isAggregated, toRow, type RowValue } from './sample-row.js';
import { MultiRowStatement } from './sqlite-batch.js';
import { SqliteCompactor } from './sqlite-compactor.js';
import { HISTORY_SCHEMA } from './sqlite-schema.js';
import { SeriesRegistry } from './series-registry.js';
import { seriesId } from './store.js';
import type { Bucket, HistoryPoint, HistoryStore, Sample, SeriesKey } from './store.js';
import { checkInterval, checkLimit, checkNow, checkPoints, checkRetention, checkWidth } from './validate.js';

export interface SqliteHistoryStoreOptions {
  /** `full` survives power loss; the default `normal` survives process crashes (kill -9) and is faster. */
  readonly synchronous?: 'normal' | 'full';
  /** Page cache in MiB. */
  readonly cacheMiB?: number;
  /** Pending rows that make a series due for compaction; chunks hold this many to twice as many points. */
  readonly chunkPoints?: number;
  /** Log rows (and in-memory pending rows) beyond which series are compacted even if not due. */
  readonly logRows?: number;
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
  /** The `latest` table in memory (one sample per series): latest() of 10k series reads no SQL. */
  private readonly newest = new Map<number, Sample>();
  private readonly compactor: SqliteCompactor;
  /** The sequence number of the last row written to the log. */
  private logEnd = 0;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly stmt;
  private readonly insertRecent: MultiRowStatement;
  private readonly upsertLatest: MultiRowStatement;
  private readonly options: Required<Omit<SqliteHistoryStoreOptions, 'synchronous' | 'cacheMiB'>>;

  constructor(file: string, options: SqliteHistoryStoreOptions = {}) {
    this.options = {
      chunkPoints: options.chunkPoints ?? 720,
      logRows: options.logRows ?? 8_000_000,
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
      fields: db.prepare('SELECT field FROM series WHERE twin = ? ORDER BY field').pluck(),
      logEnd: db.prepare("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'recent'").pluck(),
      lastRowid: db.prepare('SELECT last_insert_rowid()').pluck(),
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
      latestAll: db.prepare('SELECT series, time, value, flags FROM latest').raw(),
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
      dropLatest: db.prepare('DELETE FROM latest WHERE series = ? AND time < ?'),
    };
    this.insertRecent = new MultiRowStatement(
      db,
      'INSERT INTO recent (series, time, value, flags) VALUES',
      4,
    );
    this.upsertLatest = new MultiRowStatement(
      db,
      'INSERT INTO latest (series, time, value, flags) VALUES',
      4,
      'ON CONFLICT (series) DO UPDATE SET time = excluded.time, value = excluded.value, flags = excluded.flags WHERE excluded.time >= latest.time',
    );
    for (const [id, twin, field] of db.prepare('SELECT id, twin, field FROM series').raw().all() as [
      number,
      string,
      string,
    ][]) {
      this.series.add(id, { twin, field });
    }
    for (const [id, time, value, flags] of this.stmt.latestAll.all() as [
      number,
      number,
      RowValue,
      number,
    ][]) {
      this.newest.set(id, fromRow(time, value, flags));
    }
    this.logEnd = this.stmt.logEnd.get() as number;
    // Replay what was appended but not compacted before the last close (or crash).
    const replay = db.prepare(
      'SELECT r.seq, r.series, r.time, r.value, r.flags FROM recent AS r JOIN series AS s ON s.id = r.series WHERE r.seq > s.flushed_seq ORDER BY r.seq',
    );
    for (const [seq, series, time, value, flags] of replay.raw().iterate() as IterableIterator<
      [number, number, number, RowValue, number]
    >) {
      this.head.push(series, seq, time, value, flags);
    }
    this.compactor = new SqliteCompactor(db, this.head, this.options, () => this.logEnd);
    for (const id of this.head.seriesByAge()) this.compactor.noteAppended(id);
    if (this.options.compactEveryMs > 0) {
      this.timer = setInterval(() => this.backgroundCompaction(), this.options.compactEveryMs);
      this.timer.unref();
    }
  }

  async append(points: readonly HistoryPoint[]): Promise<void> {
    checkPoints(points);
    if (points.length === 0) return;
    const created: number[] = [];
    const ids = new Array<number>(points.length);
    const rows: unknown[] = [];
    let firstSeq: number;
    // Per series, the newest point of the batch (a later point at the same time wins).
    const newest = new Map<number, number>();
    try {
      firstSeq = this.db.transaction(() => {
        points.forEach((point, index) => {
          const id = (ids[index] = this.seriesFor(point, created));
          const [value, flags] = toRow(point.value, point.quality);
          rows.push(id, point.time, value, flags);
          const seen = newest.get(id);
          if (seen === undefined || point.time >= points[seen]!.time) newest.set(id, index);
        });
        this.insertRecent.run(rows);
        // AUTOINCREMENT numbers the rows of the batch consecutively.
        const first = (this.stmt.lastRowid.get() as number) - points.length + 1;
        const latest: unknown[] = [];
        for (const index of newest.values()) latest.push(...rows.slice(4 * index, 4 * index + 4));
        this.upsertLatest.run(latest);
        return first;
      })();
    } catch (error) {
      // The series rows were rolled back with the rest: forget their ids too.
      for (const id of created) this.series.remove(id);
      throw error;
    }
    // Committed: now the in-memory mirror of the log.
    for (let i = 0; i < points.length; i++) {
      this.head.push(
        ids[i]!,
        firstSeq + i,
        rows[4 * i + 1] as number,
        rows[4 * i + 2] as RowValue,
        rows[4 * i + 3] as number,
      );
    }
    this.logEnd = firstSeq + points.length - 1;
    for (const [id, index] of newest) {
      const known = this.newest.get(id);
      const point = points[index]!;
      if (known === undefined || point.time >= known.time) {
        this.newest.set(
          id,
          fromRow(point.time, rows[4 * index + 2] as RowValue, rows[4 * index + 3] as number),
        );
      }
    }
    for (const id of new Set(ids)) this.compactor.noteAppended(id);
    // Keep up with the ingest: move about twice what came in, so a backlog shrinks. The points are
    // committed already, so a compaction failure is reported, not thrown at the caller.
    try {
      if (this.compactor.hasWork) this.compactor.step(Math.max(2 * points.length, this.options.chunkPoints));
    } catch (error) {
      this.options.onError(error);
    }
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
      const sample = id === undefined ? undefined : this.newest.get(id);
      if (sample !== undefined) result.set(this.series.name(id!), sample);
    }
    return result;
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

  private backgroundCompaction(): void {
    try {
      if (this.compactor.hasWork) this.compactor.step(this.options.compactBudget);
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
    this.stmt.dropLatest.run(id, cutoff);
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
