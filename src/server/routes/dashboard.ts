// GET /api/v1/world/kpis: the plant KPIs the dashboard shows (throughput, OEE, alarms by line),
// computed from the twin graph and the history the caller may read (src/world/kpis.ts).
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import { loadKpis } from '../../world/kpi-source.js';
import { resolveKpiWindow } from '../../world/kpi-window.js';

const share = {
  type: ['number', 'null'],
  description: 'A share from 0 to 1; null when the window holds no data for it',
} as const;
const ratios = { availability: share, performance: share, quality: share, oee: share } as const;
const integer = { type: 'integer' } as const;
const counts = { type: 'object', additionalProperties: { type: 'number' } } as const;

const station = {
  type: 'object',
  required: ['id', 'name', 'state', 'good', 'scrap', 'downEvents', 'alarm'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    state: { type: ['string', 'null'], description: 'The state now' },
    stateSeconds: { ...counts, description: 'Seconds in each state within the window' },
    good: { ...integer, description: 'Good units finished within the window' },
    scrap: { ...integer, description: 'Scrapped units within the window' },
    downEvents: { ...integer, description: 'Transitions into down within the window' },
    alarm: { type: 'boolean', description: 'Down or in maintenance now' },
    nominalCycleTime: {
      type: ['number', 'null'],
      description: 'The twin’s planned seconds per unit (nominalCycleTime)',
    },
    idealCycleTime: {
      type: ['number', 'null'],
      description:
        'Seconds per unit performance is measured against: nominalCycleTime, or the faster cycle the station ran at in the window',
    },
    ...ratios,
  },
} as const;

const kpis = {
  type: 'object',
  description: 'Inputs: docs/dashboard.md; the OEE definition (ISO 22400-2): docs/oee.md',
  required: ['from', 'to', 'bucket', 'computedAt', 'plant', 'lines', 'series'],
  properties: {
    from: { ...integer, description: 'Window start, ms since the epoch' },
    to: { ...integer, description: 'Window end (never after now), ms since the epoch' },
    bucket: { ...integer, description: 'Width of the series buckets, ms' },
    computedAt: integer,
    plant: {
      type: 'object',
      properties: {
        throughput: { type: ['number', 'null'], description: 'Good units per hour, summed over the lines' },
        output: integer,
        alarmsNow: integer,
        downEvents: integer,
        stations: integer,
        ...ratios,
      },
    },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          throughput: { type: ['number', 'null'], description: 'Good units per hour out of the line' },
          output: { ...integer, description: 'Good units out of the line within the window' },
          stateCounts: { ...counts, description: 'How many stations are in each state now' },
          alarms: {
            type: 'object',
            properties: {
              now: {
                type: 'array',
                items: { type: 'string' },
                description: 'Stations down or in maintenance now',
              },
              downEvents: integer,
            },
          },
          stations: { type: 'array', items: station },
          ...ratios,
        },
      },
    },
    series: {
      type: 'object',
      description: 'Throughput per line in buckets, as columns: time[i] and each line’s values[i]',
      properties: {
        time: { type: 'array', items: integer },
        lines: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              values: { type: 'array', items: { type: ['number', 'null'] } },
            },
          },
        },
      },
    },
  },
} as const;

interface KpiQuery {
  from?: string;
  to?: string;
  bucket?: string;
}

export async function dashboardRoutes(app: FastifyInstance, { history }: RouteDeps): Promise<void> {
  app.get<{ Querystring: KpiQuery }>(
    '/api/v1/world/kpis',
    {
      config: { permission: 'twin:read' },
      schema: {
        tags: ['world'],
        summary:
          'Plant KPIs for the dashboard: throughput, OEE (ISO 22400-2: availability × performance × quality) and alarms, ' +
          'per station, per line and for the plant, with a throughput series in buckets',
        querystring: {
          type: 'object',
          properties: {
            from: { type: 'string', description: 'ISO 8601 or epoch ms (default: to − 1 h)' },
            to: { type: 'string', description: 'ISO 8601 or epoch ms (default and latest: now)' },
            bucket: {
              type: 'string',
              description: 'Series bucket width: 30s, 5m, 1h or ms, at least 1s (default: about 60 buckets)',
            },
          },
        },
        response: { 200: kpis },
      },
    },
    async (request, reply) => {
      const now = Date.now();
      const window = resolveKpiWindow(request.query, now);
      reply.header('cache-control', 'no-cache');
      return loadKpis(request.graph, history, window, now);
    },
  );
}
