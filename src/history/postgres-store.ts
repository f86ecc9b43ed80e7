// The history on a PostgreSQL server (node-postgres): samples in a table range-partitioned by day,
// one row per series and time (last write wins through ON CONFLICT), a `latest` table kept in the
// same statement, buckets aggregated by the server. See docs/history.md, "PostgreSQL".
import pg from 'pg';
import { ValidationError } from '../core/errors.js';
import type { Quality } from '../ingest/points.js';
import { DAY_MS, historySchema, ident, partitionName } from './postgres-schema.js';
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

export interface PostgresHistoryStoreOptions {
  /** A libpq-style URL; the store then owns its pool and ends it on close. */
  readonly connectionString?: string;
  /** A pool the caller owns (and ends); takes precedence over connectionString. */
  readonly pool?: pg.Pool;
  /** The schema holding the store's tables, created if missing. Default `imverse_history`. */
  readonly schema?: string;
}

/** A partition of `samples`: rows with from <= time < to. */
export interface SamplePartition {
  readonly name: string;
  readonly from: number;
  readonly to: number;
}

interface BucketRow {
  b: number;
  count: string;
  n: string;
  has_nan: boolean | null;
  min: number | null;
  max: number | null;
  avg: number | null;
  num: number | null;
  txt: string | null;
  bool: boolean | null;
  quality: number;
}

interface ValueRow {
  num: number | null;
  txt: string | null;
  bool: boolean | null;
  quality: number;
}

const QUALITY_CODE: Record<Quality, number> = { good: 0, uncertain: 1, bad: 2 };
const QUALITY_OF: readonly Quality[] = ['good', 'uncertain', 'bad'];
// Times are safe integers; clamping open bounds here keeps them valid bigint parameters.
const MIN_TIME = -(2 ** 53);
const MAX_TIME = 2 ** 53;
const NO_PARTITION = '23514'; // "no partition of relation found for row": retention dropped it meanwhile
const OUT_OF_RANGE = '22003'; // numeric_value_out_of_range

/** node-postgres writes -0 as "0": numbers go to the server as text, exactly. */
const float8 = (value: number): string => (Object.is(value, -0) ? '-0' : String(value));
/** A bigint parameter for `time >= b` or `time < b`: for integer times, `time < x` is `time < ceil(x)`. */
const timeBound = (bound: number): string => String(Math.min(Math.max(Math.ceil(bound), MIN_TIME), MAX_TIME));

/** The one column of num, txt and bool that is set. */
const valueOf = (row: ValueRow): number | string | boolean => row.bool ?? row.txt ?? row.num!;

function fromRow(time: number, row: ValueRow): Sample {
  return { time, value: valueOf(row), quality: QUALITY_OF[row.quality] ?? 'bad' };
}

/** PostgreSQL text cannot hold NUL; refuse it the way validate.ts refuses other bad input. */
function checkNoNul(points: readonly HistoryPoint[]): void {
  points.forEach((p, i) => {
    for (const name of ['twin', 'field', 'value'] as const) {
      const text = p[name];
      if (typeof text === 'string' && text.includes('\u0000')) {
        throw new ValidationError('IMV_REQUEST_INVALID', `${name} must not contain NUL characters`, {
          path: `/${i}/${name}`,
        });
      }
    }
  });
}

/** A name with NUL was never stored (append refuses it): queries for it answer empty. */
const unstorable = (key: { twin: string; field: string }): boolean =>
  key.twin.includes('\u0000') || key.field.includes('\u0000');

export class PostgresHistoryStore implements HistoryStore {
  private readonly series = new SeriesRegistry();
  /** Day numbers whose partition is known to exist. */
  private readonly days = new Set<number>();
  /** Appends run one after another, so the later call wins at the same series and time. */
  private appending: Promise<unknown> = Promise.resolve();
  private readonly t: { series: string; retention: string; samples: string; latest: string };
  private readonly lockKey: string;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool: boolean,
    readonly schema: string,
  ) {
    const s = ident(schema);
    this.t = {
      series: `${s}.series`,
      retention: `${s}.retention`,
      samples: `${s}.samples`,
      latest: `${s}.latest`,
    };
    this.lockKey = `imverse_history:${schema}`;
  }

  /** Connects, creates the schema and tables if missing, and loads the series and partitions. */
  static async open(options: PostgresHistoryStoreOptions): Promise<PostgresHistoryStore> {
    if (options.pool === undefined && options.connectionString === undefined) {
      const message = 'PostgresHistoryStore needs a connectionString or a pool';
      throw new ValidationError('IMV_CONFIG_INVALID', message, { path: '/connectionString' });
    }
    const ownsPool = options.pool === undefined;
    const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString });
    const store = new PostgresHistoryStore(pool, ownsPool, options.schema ?? 'imverse_history');
    try {
      await store.transaction(async (client) => {
        // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog: one opener at a time.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [store.lockKey]);
        await client.query(historySchema(store.schema));
      });
      const { rows } = await pool.query<{ id: number; twin: string; field: string }>(
        `SELECT id, twin, field FROM ${store.t.series}`,
      );
      for (const row of rows) store.series.add(row.id, row);
      await store.loadPartitions();
    } catch (error) {
      if (ownsPool) await pool.end();
      throw error;
    }
    return store;
  }

  async append(points: readonly HistoryPoint[]): Promise<void> {
    checkPoints(points);
    checkNoNul(points);
    if (points.length === 0) return;
    const run = this.appending.then(() => this.write(points));
    this.appending = run.catch(() => undefined);
    return run;
  }

  async range(key: SeriesKey, from: number, to: number, limit?: number): Promise<Sample[]> {
    checkInterval(from, to);
    checkLimit(limit);
    if (from === to || limit === 0 || unstorable(key)) return [];
    const { rows } = await this.pool.query<ValueRow & { time: string }>(
      `SELECT time, num, txt, bool, quality FROM ${this.t.samples}
       WHERE series = (SELECT id FROM ${this.t.series} WHERE twin = $1 AND field = $2)
         AND time >= $3 AND time < $4
       ORDER BY time LIMIT $5`,
      [key.twin, key.field, timeBound(from), timeBound(to), limit ?? null],
    );
    return rows.map((row) => fromRow(Number(row.time), row));
  }

  async latest(keys: readonly SeriesKey[]): Promise<Map<string, Sample>> {
    const result = new Map<string, Sample>();
    // Series this store knows go by id (no name join); others may have been created by another
    // process sharing the schema, so they are looked up by name.
    const ids: number[] = [];
    const unknown: SeriesKey[] = [];
    for (const key of keys) {
      const id = this.series.id(key);
      if (unstorable(key)) continue;
      if (id === undefined) unknown.push(key);
      else ids.push(id);
    }
    const [known, named] = await Promise.all([
      ids.length === 0
        ? undefined
        : this.pool.query<ValueRow & { series: number; time: string }>(
            `SELECT series, time, num, txt, bool, quality FROM ${this.t.latest} WHERE series = ANY($1::int[])`,
            [ids],
          ),
      unknown.length === 0
        ? undefined
        : this.pool.query<ValueRow & { i: string; time: string }>(
            `SELECT k.i, l.time, l.num, l.txt, l.bool, l.quality
             FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(twin, field, i)
             JOIN ${this.t.series} AS s ON s.twin = k.twin AND s.field = k.field
             JOIN ${this.t.latest} AS l ON l.series = s.id`,
            [unknown.map((k) => k.twin), unknown.map((k) => k.field)],
          ),
    ]);
    for (const row of known?.rows ?? []) {
      result.set(this.series.name(row.series), fromRow(Number(row.time), row));
    }
    for (const row of named?.rows ?? []) {
      result.set(seriesId(unknown[Number(row.i) - 1]!), fromRow(Number(row.time), row));
    }
    return result;
  }

  async latestAt(keys: readonly SeriesKey[], time: number): Promise<Map<string, Sample>> {
    checkTime(time);
    const named = keys.filter((key) => !unstorable(key));
    const result = new Map<string, Sample>();
    if (named.length === 0) return result;
    // time <= t is time < floor(t) + 1 for integer times; timeBound clamps infinities.
    const { rows } = await this.pool.query<ValueRow & { i: string; time: string }>(
      `SELECT k.i, l.time, l.num, l.txt, l.bool, l.quality
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(twin, field, i)
       JOIN ${this.t.series} AS s ON s.twin = k.twin AND s.field = k.field
       CROSS JOIN LATERAL (
         SELECT time, num, txt, bool, quality FROM ${this.t.samples}
         WHERE series = s.id AND time < $3 ORDER BY time DESC LIMIT 1
       ) AS l`,
      [named.map((k) => k.twin), named.map((k) => k.field), timeBound(Math.floor(time) + 1)],
    );
    for (const row of rows) result.set(seriesId(named[Number(row.i) - 1]!), fromRow(Number(row.time), row));
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
    const named = keys.filter((key) => !unstorable(key));
    if (named.length === 0 || from === to || limit === 0) return [];
    const { rows } = await this.pool.query<ValueRow & { i: string; time: string }>(
      `SELECT k.i, p.time, p.num, p.txt, p.bool, p.quality
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(twin, field, i)
       JOIN ${this.t.series} AS s ON s.twin = k.twin AND s.field = k.field
       JOIN ${this.t.samples} AS p ON p.series = s.id AND p.time >= $3 AND p.time < $4
       ORDER BY p.time, k.i LIMIT $5`,
      [named.map((k) => k.twin), named.map((k) => k.field), timeBound(from), timeBound(to), limit],
    );
    return rows.map((row) => {
      const { twin, field } = named[Number(row.i) - 1]!;
      return { twin, field, ...fromRow(Number(row.time), row) };
    });
  }

  async buckets(key: SeriesKey, from: number, to: number, width: number): Promise<Bucket[]> {
    checkInterval(from, to);
    checkWidth(width);
    if (from === to || unstorable(key)) return [];
    const params = [key.twin, key.field, timeBound(from), timeBound(to), width];
    let rows: BucketRow[];
    try {
      rows = (await this.pool.query<BucketRow>(this.bucketsSql(false), params)).rows;
    } catch (error) {
      // A float8 sum past ±1.8e308 is an error in PostgreSQL (Infinity in JavaScript): exact, slower numeric.
      if ((error as { code?: string }).code !== OUT_OF_RANGE) throw error;
      rows = (await this.pool.query<BucketRow>(this.bucketsSql(true), params)).rows;
    }
    return rows.map((row) => {
      const last = valueOf(row);
      const count = Number(row.count);
      if (Number(row.n) === 0) return { time: row.b, count, last };
      const nan = row.has_nan === true;
      return {
        time: row.b,
        count,
        min: nan ? NaN : row.min!,
        max: nan ? NaN : row.max!,
        avg: row.avg!,
        last,
      };
    });
  }

  /**
   * One pass over the series' rows groups them by floor(time / width) * width in double precision,
   * as the SQLite store computes it in JavaScript; min/max/avg over good-quality numbers only, NaN
   * making them NaN (PostgreSQL would sort it last). The last value is looked up by its time
   * (unique in a series): one index probe per bucket instead of a second sort.
   */
  private bucketsSql(numeric: boolean): string {
    const avg = numeric
      ? 'avg(num::numeric) FILTER (WHERE quality = 0)::float8'
      : 'avg(num) FILTER (WHERE quality = 0)';
    return `WITH k AS MATERIALIZED (SELECT id FROM ${this.t.series} WHERE twin = $1 AND field = $2),
      agg AS (
        SELECT floor(p.time::float8 / $5) * $5 AS b, count(*) AS count, max(p.time) AS last_time,
          count(num) FILTER (WHERE quality = 0) AS n,
          bool_or(num = 'NaN') FILTER (WHERE quality = 0) AS has_nan,
          min(num) FILTER (WHERE quality = 0) AS min,
          max(num) FILTER (WHERE quality = 0) AS max,
          ${avg} AS avg
        FROM ${this.t.samples} AS p
        WHERE p.series = (SELECT id FROM k) AND p.time >= $3 AND p.time < $4
        GROUP BY 1
      )
      SELECT agg.*, l.num, l.txt, l.bool, l.quality FROM agg CROSS JOIN LATERAL (
        SELECT num, txt, bool, quality FROM ${this.t.samples}
        WHERE series = (SELECT id FROM k) AND time = agg.last_time LIMIT 1
      ) AS l
      ORDER BY agg.b`;
  }

  async fields(twin: string): Promise<string[]> {
    if (twin.includes('\u0000')) return [];
    const { rows } = await this.pool.query<{ field: string }>(
      `SELECT field FROM ${this.t.series} WHERE twin = $1 ORDER BY field`,
      [twin],
    );
    return rows.map((row) => row.field);
  }

  async setRetention(key: { twin: string; field: string | '*' }, ms: number): Promise<void> {
    checkRetention(key, ms);
    if (unstorable(key)) {
      throw new ValidationError('IMV_REQUEST_INVALID', 'twin and field must not contain NUL characters', {
        path: key.twin.includes('\u0000') ? '/twin' : '/field',
      });
    }
    if (ms === Infinity) {
      await this.pool.query(`DELETE FROM ${this.t.retention} WHERE twin = $1 AND field = $2`, [
        key.twin,
        key.field,
      ]);
    } else {
      await this.pool.query(
        `INSERT INTO ${this.t.retention} (twin, field, ms) VALUES ($1, $2, $3)
         ON CONFLICT (twin, field) DO UPDATE SET ms = excluded.ms`,
        [key.twin, key.field, ms],
      );
    }
  }

  /**
   * Drops every partition whose rows are all past their series' retention (no row scan, no dead
   * rows), then deletes the expired rows left in the other partitions, in one transaction.
   */
  async enforceRetention(now: number): Promise<number> {
    checkNow(now);
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      const { rows: rules } = await client.query<{ id: number; ms: number }>(
        `SELECT s.id, coalesce(own.ms, every.ms) AS ms FROM ${this.t.series} AS s
         LEFT JOIN ${this.t.retention} AS own ON own.twin = s.twin AND own.field = s.field
         LEFT JOIN ${this.t.retention} AS every ON every.twin = s.twin AND every.field = '*'
         WHERE coalesce(own.ms, every.ms) IS NOT NULL`,
      );
      if (rules.length === 0) return 0;
      const cutoff = new Map(rules.map((r) => [r.id, Math.ceil(now - r.ms)]));
      const { rows: all } = await client.query<{ id: number }>(`SELECT id FROM ${this.t.series}`);
      let newest = -Infinity;
      for (const c of cutoff.values()) newest = Math.max(newest, c);
      let removed = 0;
      for (const partition of await this.listPartitions(client)) {
        if (partition.to > newest) break; // sorted: no later partition can be all expired
        // Series whose rows in this partition are not all expired: if none has a row here, drop it.
        const kept = all.filter((s) => (cutoff.get(s.id) ?? -Infinity) < partition.to).map((s) => s.id);
        const table = `${ident(this.schema)}.${ident(partition.name)}`;
        if (kept.length > 0) {
          const { rowCount } = await client.query(
            `SELECT 1 FROM unnest($1::int[]) AS k(id)
             WHERE EXISTS (SELECT 1 FROM ${table} AS p WHERE p.series = k.id) LIMIT 1`,
            [kept],
          );
          if (rowCount !== 0) continue;
        }
        const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
        removed += Number(rows[0]!.n);
        await client.query(`DROP TABLE ${table}`);
        this.days.delete(Math.floor(partition.from / DAY_MS));
      }
      const ids = [...cutoff.keys()];
      const bounds = ids.map((id) => timeBound(cutoff.get(id)!));
      const deleted = await client.query(
        `DELETE FROM ${this.t.samples} AS p USING unnest($1::int[], $2::bigint[]) AS r(id, cutoff)
         WHERE p.series = r.id AND p.time < r.cutoff`,
        [ids, bounds],
      );
      removed += deleted.rowCount ?? 0;
      await client.query(
        `DELETE FROM ${this.t.latest} AS l USING unnest($1::int[], $2::bigint[]) AS r(id, cutoff)
         WHERE l.series = r.id AND l.time < r.cutoff`,
        [ids, bounds],
      );
      return removed;
    });
  }

  /** The partitions of the samples table, oldest first. */
  async partitions(): Promise<SamplePartition[]> {
    const client = await this.pool.connect();
    try {
      return await this.listPartitions(client);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.appending;
    if (this.ownsPool) await this.pool.end();
  }

  private async write(points: readonly HistoryPoint[]): Promise<void> {
    const missing = new Map<string, SeriesKey>();
    for (const p of points) {
      if (this.series.id(p) === undefined) missing.set(seriesId(p), { twin: p.twin, field: p.field });
    }
    // Last write wins inside the batch too: ON CONFLICT cannot touch one row twice in a statement.
    const rows = new Map<string, { key: SeriesKey; point: HistoryPoint }>();
    for (const point of points) rows.set(`${seriesId(point)}\u0000${point.time}`, { key: point, point });
    await this.ensurePartitions(points);
    try {
      await this.insert(missing, [...rows.values()]);
    } catch (error) {
      if ((error as { code?: string }).code !== NO_PARTITION) throw error;
      // Retention dropped a partition this batch needs since we looked: create it again.
      this.days.clear();
      await this.loadPartitions();
      await this.ensurePartitions(points);
      await this.insert(missing, [...rows.values()]);
    }
  }

  /** One transaction: the new series, the samples and the latest rows. */
  private async insert(
    missing: Map<string, SeriesKey>,
    rows: { key: SeriesKey; point: HistoryPoint }[],
  ): Promise<void> {
    const created = await this.transaction(async (client) => {
      const created: { id: number; twin: string; field: string }[] = [];
      if (missing.size > 0) {
        const twins = [...missing.values()].map((k) => k.twin);
        const fields = [...missing.values()].map((k) => k.field);
        await client.query(
          `INSERT INTO ${this.t.series} (twin, field) SELECT * FROM unnest($1::text[], $2::text[])
           ON CONFLICT (twin, field) DO NOTHING`,
          [twins, fields],
        );
        const { rows: found } = await client.query<{ id: number; twin: string; field: string }>(
          `SELECT s.id, s.twin, s.field FROM ${this.t.series} AS s
           JOIN unnest($1::text[], $2::text[]) AS k(twin, field) ON s.twin = k.twin AND s.field = k.field`,
          [twins, fields],
        );
        created.push(...found);
      }
      const ids = new Map(created.map((s) => [seriesId(s), s.id]));
      const series: number[] = [];
      const times: string[] = [];
      const nums: (string | null)[] = [];
      const txts: (string | null)[] = [];
      const bools: (boolean | null)[] = [];
      const qualities: number[] = [];
      for (const { key, point } of rows) {
        series.push(this.series.id(key) ?? ids.get(seriesId(key))!);
        times.push(String(point.time));
        const v = point.value;
        nums.push(typeof v === 'number' ? float8(v) : null);
        txts.push(typeof v === 'string' ? v : null);
        bools.push(typeof v === 'boolean' ? v : null);
        qualities.push(QUALITY_CODE[point.quality ?? 'good']);
      }
      // One statement writes the samples and moves each series' latest row forward.
      await client.query(
        `WITH input AS (
           SELECT * FROM unnest($1::int[], $2::bigint[], $3::float8[], $4::text[], $5::bool[], $6::int2[])
             AS i(series, time, num, txt, bool, quality)
         ), written AS (
           INSERT INTO ${this.t.samples} AS p (series, time, num, txt, bool, quality)
           SELECT * FROM input
           ON CONFLICT (series, time) DO UPDATE
             SET num = excluded.num, txt = excluded.txt, bool = excluded.bool, quality = excluded.quality
         )
         INSERT INTO ${this.t.latest} AS l (series, time, num, txt, bool, quality)
         SELECT DISTINCT ON (series) * FROM input ORDER BY series, time DESC
         ON CONFLICT (series) DO UPDATE
           SET time = excluded.time, num = excluded.num, txt = excluded.txt, bool = excluded.bool,
               quality = excluded.quality
           WHERE excluded.time >= l.time`,
        [series, times, nums, txts, bools, qualities],
      );
      return created;
    });
    // Committed: only now are the new ids safe to remember.
    for (const s of created) this.series.add(s.id, s);
  }

  /** Creates the day partitions a batch needs, each in the store's lock, outside the append's transaction. */
  private async ensurePartitions(points: readonly HistoryPoint[]): Promise<void> {
    const needed = new Set<number>();
    for (const p of points) {
      const day = Math.floor(p.time / DAY_MS);
      if (!this.days.has(day)) needed.add(day);
    }
    if (needed.size === 0) return;
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      for (const day of needed) {
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${ident(this.schema)}.${ident(partitionName(day))}
           PARTITION OF ${this.t.samples} FOR VALUES FROM (${day * DAY_MS}) TO (${(day + 1) * DAY_MS})`,
        );
      }
    });
    for (const day of needed) this.days.add(day);
  }

  private async loadPartitions(): Promise<void> {
    const client = await this.pool.connect();
    try {
      for (const p of await this.listPartitions(client)) this.days.add(Math.floor(p.from / DAY_MS));
    } finally {
      client.release();
    }
  }

  private async listPartitions(client: pg.PoolClient): Promise<SamplePartition[]> {
    const { rows } = await client.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
       WHERE i.inhparent = to_regclass($1)`,
      [this.t.samples],
    );
    const partitions: SamplePartition[] = [];
    for (const row of rows) {
      const match = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/.exec(row.bound);
      if (match !== null) partitions.push({ name: row.name, from: Number(match[1]), to: Number(match[2]) });
    }
    return partitions.sort((a, b) => a.from - b.from);
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
