// /api/v1/ingest: values from gateways over HTTP, the dead letters, and per-connector counters.
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors.js';
import { identifierProblem, normalizeIdentifier } from '../../core/id.js';
import { decodeJsonBatch, decodeNdjson, type DecodedBatch } from '../../ingest/http/decode.js';
import type { Point, Rejection } from '../../ingest/points.js';
import type { RouteDeps } from '../route-deps.js';

const SOURCE = 'http';

export async function ingestRoutes(
  app: FastifyInstance,
  { ingest, deadLetters, ingestStats }: RouteDeps,
): Promise<void> {
  const tags = ['ingest'];
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );

  app.post<{ Body: unknown }>(
    '/api/v1/ingest',
    {
      config: { permission: 'history:write' },
      schema: {
        tags,
        summary:
          'Values from a gateway: JSON {"points":[{"twin","field","value","time"?,"quality"?}]} or NDJSON ' +
          '(application/x-ndjson, one point per line). Answers when accepted points are durable; refused ' +
          'points are listed, counted and dead-lettered.',
      },
    },
    async (request) => {
      const now = Date.now();
      const decoded: DecodedBatch | undefined =
        typeof request.body === 'string'
          ? decodeNdjson(request.body, now)
          : decodeJsonBatch(request.body, now);
      if (decoded === undefined) {
        throw new ValidationError(
          'IMV_REQUEST_INVALID',
          'Send {"points": [...]}, an array of points, or NDJSON',
          {
            path: '/points',
          },
        );
      }
      const rejected: Rejection[] = [];
      const refuse = (index: number, code: string, reason: string, payload: string) => {
        rejected.push({ index, code, reason });
        ingest.reject(SOURCE, code, reason, payload);
      };
      for (const r of decoded.rejected) refuse(r.index, r.code, r.reason, r.payload);
      const indexes: number[] = [];
      const points: Point[] = [];
      for (const { index, point } of decoded.points) {
        const problem = identifierProblem(point.twin);
        if (problem !== undefined) {
          refuse(index, 'IMV_INGEST_TWIN_UNKNOWN', `"${point.twin}": ${problem}`, JSON.stringify(point));
          continue;
        }
        const twin = normalizeIdentifier(point.twin);
        if (!request.graph.scope.allows(twin)) {
          refuse(
            index,
            'IMV_AUTH_FORBIDDEN',
            `${twin} is outside the prefixes this token may use`,
            JSON.stringify(point),
          );
          continue;
        }
        points.push({ ...point, twin });
        indexes.push(index);
      }
      const result = await ingest.ingest({ source: SOURCE, points });
      rejected.push(...result.rejected.map((r) => ({ ...r, index: indexes[r.index] ?? r.index })));
      rejected.sort((a, b) => a.index - b.index);
      return { accepted: result.accepted, rejected };
    },
  );

  app.get<{ Querystring: { source?: string; code?: string; before?: number; limit?: number } }>(
    '/api/v1/ingest/dead-letters',
    {
      config: { permission: 'dead-letters:read' },
      schema: {
        tags,
        summary:
          'Refused device messages and points, newest first (page back with before=<id>). A token limited to ' +
          'prefixes sees only the letters of twins under them.',
        querystring: {
          type: 'object',
          properties: {
            source: { type: 'string' },
            code: { type: 'string' },
            before: { type: 'integer', minimum: 1 },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
      },
    },
    async (request) => {
      const { limit = 100, ...filter } = request.query;
      const { prefixes } = request.graph.scope;
      return {
        value: deadLetters.list({ ...filter, ...(prefixes === undefined ? {} : { prefixes }), limit }),
      };
    },
  );

  app.get(
    '/api/v1/ingest/stats',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags,
        summary:
          'Per-connector counters and connection states: platform-wide, so not for a token limited to prefixes',
      },
    },
    async () => ingestStats(),
  );
}
