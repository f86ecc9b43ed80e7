// /api/v1/twins/{id}/telemetry: a twin's history (raw, downsampled, latest) as JSON or CSV.
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors.js';
import type { Bucket, HistoryStore, Sample } from '../../history/store.js';
import type { RouteDeps } from '../route-deps.js';
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

export async function telemetryRoutes(app: FastifyInstance, { history }: RouteDeps): Promise<void> {
  const tags = ['history'];
  await retentionRoute(app, history);
  app.get<{ Params: { id: string }; Querystring: TelemetryQuery }>(
    '/api/v1/twins/:id/telemetry',
    {
      config: { permission: 'read' },
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
      if (query.field === undefined) return { twin: twin.id, fields: await history.fields(twin.id) };
      const fields = query.field
        .split(',')
        .map((f) => f.trim())
        .filter((f) => f !== '');
      const to = query.to === undefined ? Date.now() : parseTime(query.to, '/query/to');
      const from = query.from === undefined ? to - DEFAULT_WINDOW_MS : parseTime(query.from, '/query/from');
      if (from > to) {
        throw new ValidationError('IMV_REQUEST_INVALID', '"from" must not be after "to"', {
          path: '/query/from',
        });
      }
      const width = query.bucket === undefined ? undefined : parseDuration(query.bucket, '/query/bucket');
      const series = await Promise.all(
        fields.map(async (field) => {
          const key = { twin: twin.id, field };
          return width === undefined
            ? { field, samples: await history.range(key, from, to, query.limit ?? 10_000) }
            : { field, bucket: width, buckets: await history.buckets(key, from, to, width) };
        }),
      );
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
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'The latest sample of each field (all fields with history when none are named)',
        params: idParam,
        querystring: { type: 'object', properties: { fields: { type: 'string' } } },
      },
    },
    async (request) => {
      const twin = await request.graph.getTwin(request.params.id);
      const fields = request.query.fields?.split(',').map((f) => f.trim()) ?? (await history.fields(twin.id));
      const latest = await latestOf(history, twin.id, fields);
      return { twin: twin.id, latest };
    },
  );
}

export async function retentionRoute(app: FastifyInstance, history: HistoryStore): Promise<void> {
  app.put<{ Params: { id: string }; Body: { field?: string; days: number | null } }>(
    '/api/v1/twins/:id/telemetry/retention',
    {
      config: { permission: 'write' },
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

type Series = { field: string; samples?: Sample[]; buckets?: Bucket[] };

function toCsv(series: Series[]): string {
  const lines: string[] = [];
  const bucketed = series.some((s) => s.buckets !== undefined);
  lines.push(bucketed ? 'field,time,count,min,max,avg,last' : 'field,time,value,quality');
  for (const s of series) {
    for (const b of s.buckets ?? []) {
      lines.push(
        [s.field, iso(b.time), b.count, b.min ?? '', b.max ?? '', b.avg ?? '', csvValue(b.last)].join(','),
      );
    }
    for (const p of s.samples ?? [])
      lines.push([s.field, iso(p.time), csvValue(p.value), p.quality ?? 'good'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

const iso = (ms: number) => new Date(ms).toISOString();

function csvValue(value: unknown): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
