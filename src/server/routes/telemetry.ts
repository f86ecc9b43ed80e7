// /api/v1/twins/{id}/telemetry: a twin's history (raw, downsampled, latest) as JSON or CSV.
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors.js';
import type { Bucket, HistoryStore, Sample } from '../../history/store.js';
import type { RouteDeps } from '../route-deps.js';
import { edgeLimitsOf, type EdgeLimits } from '../edge-limits.js';
import { csvCell } from '../csv.js';
import { idParam } from './schemas.js';
import { parseDuration, parseTime } from './time-params.js';

const DEFAULT_WINDOW_MS = 3_600_000;
const MAX_LIMIT = 100_000;

interface TelemetryQuery {
  field?: string;
  from?: string;
  to?: string;
  bucket?: string;
  limit?: number;
  format?: 'json' | 'csv';
}

export async function telemetryRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { history } = deps;
  const limits = edgeLimitsOf(deps.edgeLimits);
  const tags = ['history'];
  await retentionRoute(app, history);
  app.get<{ Params: { id: string }; Querystring: TelemetryQuery }>(
    '/api/v1/twins/:id/telemetry',
    {
      config: { permission: 'history:read' },
      schema: {
        tags,
        summary:
          'History of twin fields: raw samples, or buckets (min/max/avg/last/count) with bucket=1m; several fields ' +
          'comma-separated; format=csv for a CSV export. Without field: the fields that have history.',
        params: idParam,
        querystring: {
          type: 'object',
          properties: {
            field: { type: 'string', description: 'field name(s), comma-separated' },
            from: { type: 'string', description: 'ISO 8601 or epoch ms (default: to - 1 h)' },
            to: { type: 'string', description: 'ISO 8601 or epoch ms (default: now)' },
            bucket: { type: 'string', description: 'bucket width: 500ms, 10s, 1m, 1h, 1d or ms' },
            limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 10_000 },
            format: { type: 'string', enum: ['json', 'csv'], default: 'json' },
          },
        },
      },
    },
    async (request, reply) => {
      const twin = await request.graph.getTwin(request.params.id);
      const query = request.query;
      if (query.field === undefined) {
        return {
          twin: twin.id,
          fields: request.graph.readableFields(twin.id, await history.fields(twin.id)),
        };
      }
      const fields = request.graph.checkFieldsReadable(
        twin.id,
        fieldList(query.field, '/query/field', limits),
      );
      const to = query.to === undefined ? Date.now() : parseTime(query.to, '/query/to');
      const from = query.from === undefined ? to - DEFAULT_WINDOW_MS : parseTime(query.from, '/query/from');
      if (from > to) {
        throw new ValidationError('IMV_REQUEST_INVALID', '"from" must not be after "to"', {
          path: '/query/from',
        });
      }
      const width = query.bucket === undefined ? undefined : parseDuration(query.bucket, '/query/bucket');
      const series =
        width === undefined
          ? await rawSeries(history, twin.id, fields, from, to, query.limit ?? 10_000, limits)
          : await bucketSeries(history, twin.id, fields, from, to, width, limits);
      if (query.format === 'csv') {
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="telemetry.csv"`);
        return toCsv(series);
      }
      return { twin: twin.id, from, to, series };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { fields?: string } }>(
    '/api/v1/twins/:id/telemetry/latest',
    {
      config: { permission: 'history:read' },
      schema: {
        tags,
        summary: 'The latest sample of each field (all fields with history when none are named)',
        params: idParam,
        querystring: { type: 'object', properties: { fields: { type: 'string' } } },
      },
    },
    async (request) => {
      const twin = await request.graph.getTwin(request.params.id);
      const named = request.query.fields;
      const fields =
        named === undefined
          ? request.graph.readableFields(twin.id, await history.fields(twin.id))
          : request.graph.checkFieldsReadable(twin.id, fieldList(named, '/query/fields', limits));
      const latest = await latestOf(history, twin.id, fields);
      return { twin: twin.id, latest };
    },
  );
}

export async function retentionRoute(app: FastifyInstance, history: HistoryStore): Promise<void> {
  app.put<{ Params: { id: string }; Body: { field?: string; days: number | null } }>(
    '/api/v1/twins/:id/telemetry/retention',
    {
      config: { permission: 'history:write' },
      schema: {
        tags: ['history'],
        summary:
          'Keep only the last `days` of history of a field (or of every field: "*"); null keeps everything',
        params: idParam,
        body: {
          type: 'object',
          required: ['days'],
          additionalProperties: false,
          properties: {
            field: { type: 'string', minLength: 1, default: '*' },
            days: { type: ['number', 'null'], exclusiveMinimum: 0 },
          },
        },
      },
    },
    async (request) => {
      const twin = await request.graph.getTwin(request.params.id);
      const field = request.body.field ?? '*';
      const days = request.body.days;
      await history.setRetention({ twin: twin.id, field }, days === null ? Infinity : days * 86_400_000);
      return { twin: twin.id, field, days };
    },
  );
}

async function latestOf(
  history: HistoryStore,
  twin: string,
  fields: string[],
): Promise<Record<string, Sample>> {
  const found = await history.latest(fields.map((field) => ({ twin, field })));
  const out: Record<string, Sample> = {};
  for (const field of fields) {
    const sample = found.get(`${twin}\u0000${field}`);
    if (sample !== undefined) out[field] = sample;
  }
  return out;
}

type Series = { field: string; bucket?: number; samples?: Sample[]; buckets?: Bucket[] };

/** The distinct fields a request names, at most telemetryMaxFields: a repeated name is read once. */
function fieldList(text: string, path: string, limits: EdgeLimits): string[] {
  const fields = [
    ...new Set(
      text
        .split(',')
        .map((f) => f.trim())
        .filter((f) => f !== ''),
    ),
  ];
  if (fields.length > limits.telemetryMaxFields) {
    throw new ValidationError(
      'IMV_TELEMETRY_FIELDS_TOO_MANY',
      `${fields.length} distinct fields named; one request may name at most ${limits.telemetryMaxFields}`,
      { path },
    );
  }
  return fields;
}

function tooLarge(what: string): ValidationError {
  return new ValidationError('IMV_TELEMETRY_TOO_LARGE', `The answer would hold ${what}`, { path: '/query' });
}

/**
 * Raw samples, read one field after another with what is left of the answer's budget, so no read
 * fetches more than the budget allows: a request that would exceed it is refused, never truncated.
 */
async function rawSeries(
  history: HistoryStore,
  twin: string,
  fields: readonly string[],
  from: number,
  to: number,
  limit: number,
  limits: EdgeLimits,
): Promise<Series[]> {
  const series: Series[] = [];
  let points = 0;
  let bytes = 0;
  for (const field of fields) {
    const left = limits.telemetryMaxPoints - points;
    const samples = await history.range({ twin, field }, from, to, Math.min(limit, left + 1));
    points += samples.length;
    if (points > limits.telemetryMaxPoints) {
      throw tooLarge(`more than ${limits.telemetryMaxPoints} samples (telemetryMaxPoints)`);
    }
    for (const sample of samples) bytes += valueBytes(sample.value);
    if (bytes > limits.telemetryMaxBytes) {
      throw tooLarge(`more than ${limits.telemetryMaxBytes} bytes of values (telemetryMaxBytes)`);
    }
    series.push({ field, samples });
  }
  return series;
}

/** Buckets: their number is known from the window before anything is read. */
async function bucketSeries(
  history: HistoryStore,
  twin: string,
  fields: readonly string[],
  from: number,
  to: number,
  width: number,
  limits: EdgeLimits,
): Promise<Series[]> {
  const possible = fields.length * Math.ceil((to - from) / width);
  if (possible > limits.telemetryMaxPoints) {
    throw tooLarge(
      `up to ${possible} buckets (${fields.length} field(s) × ${Math.ceil((to - from) / width)}); ` +
        `the limit is ${limits.telemetryMaxPoints} (telemetryMaxPoints): choose a wider bucket or a shorter window`,
    );
  }
  const series: Series[] = [];
  let bytes = 0;
  for (const field of fields) {
    const buckets = await history.buckets({ twin, field }, from, to, width);
    for (const bucket of buckets) bytes += BUCKET_BYTES + valueBytes(bucket.last);
    if (bytes > limits.telemetryMaxBytes) {
      throw tooLarge(`more than ${limits.telemetryMaxBytes} bytes of values (telemetryMaxBytes)`);
    }
    series.push({ field, bucket: width, buckets });
  }
  return series;
}

/** What a value adds to the answer, roughly: its text for strings, a number's width otherwise. */
const valueBytes = (value: unknown): number => (typeof value === 'string' ? value.length + 2 : 24);
const BUCKET_BYTES = 96;

function toCsv(series: Series[]): string {
  const lines: string[] = [];
  const bucketed = series.some((s) => s.buckets !== undefined);
  lines.push(bucketed ? 'field,time,count,min,max,avg,last' : 'field,time,value,quality');
  for (const s of series) {
    for (const b of s.buckets ?? []) {
      lines.push(
        [csvCell(s.field), iso(b.time), b.count, b.min ?? '', b.max ?? '', b.avg ?? '', csvCell(b.last)].join(
          ',',
        ),
      );
    }
    for (const p of s.samples ?? [])
      lines.push([csvCell(s.field), iso(p.time), csvCell(p.value), csvCell(p.quality ?? 'good')].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const iso = (ms: number) => new Date(ms).toISOString();
