// /api/v1/world/states and /api/v1/world/changes: the plant as it was at a moment, and what changed
// in a window, for the 3D world's timeline. One bulk history read each (docs/world-timeline.md).
import type { FastifyInstance } from 'fastify';
import {
  DEFAULT_CHANGES_LIMIT,
  MAX_CHANGES_LIMIT,
  type WorldChangesAnswer,
  type WorldStatesAnswer,
} from '../../core/wire-timeline.js';
import type { SeriesKey } from '../../history/store.js';
import type { TwinGraph } from '../../twin/TwinGraph.js';
import {
  checkWindow,
  decodeContinuation,
  pageOfChanges,
  parseReplayFields,
  parseReplayTime,
  statesOf,
} from '../../world/replay.js';
import type { RouteDeps } from '../route-deps.js';

const value = { type: ['number', 'string', 'boolean'] } as const;
const fieldsParam = {
  type: 'string',
  description: 'the fields, comma-separated (default `state`; at most 8), e.g. `state,position.x,position.y`',
} as const;

const statesSchema = {
  type: 'object',
  required: ['at', 'now', 'fields', 'earliest', 'states'],
  properties: {
    at: { type: 'number', description: 'The moment asked for, ms since the epoch' },
    now: { type: 'number', description: 'The server clock when it answered' },
    fields: { type: 'array', items: { type: 'string' } },
    earliest: {
      type: ['number', 'null'],
      description: 'The oldest sample of these fields among your twins (where the timeline starts)',
    },
    states: {
      type: 'object',
      description: 'twin → field → its latest value at or before `at`; twins without one are left out',
      additionalProperties: { type: 'object', additionalProperties: value },
    },
  },
} as const;

const changesSchema = {
  type: 'object',
  required: ['from', 'to', 'fields', 'twins', 'changes', 'until'],
  properties: {
    from: { type: 'number' },
    to: { type: 'number' },
    fields: { type: 'array', items: { type: 'string' } },
    twins: { type: 'array', items: { type: 'string' }, description: 'the twins the rows name, by index' },
    changes: {
      type: 'array',
      description: 'oldest first: [time ms, twin index, field index, value]; a repeated value is left out',
      items: { type: 'array', minItems: 4, maxItems: 4, items: {} },
    },
    until: { type: 'number', description: 'every change before this time has been sent' },
    continuation: { type: 'string', description: 'present when more follow: pass it back for the next page' },
  },
} as const;

/** Every series of these fields among the caller's twins, in identifier then field order. */
async function keysOf(graph: TwinGraph, fields: readonly string[]): Promise<SeriesKey[]> {
  const twins = await graph.scanFields(['name']);
  // A field a policy keeps from this caller has no series for it.
  return twins.flatMap(({ id }) => graph.readableFields(id, fields).map((field) => ({ twin: id, field })));
}

export async function worldHistoryRoutes(app: FastifyInstance, { history }: RouteDeps): Promise<void> {
  app.get<{ Querystring: { at?: string; fields?: string } }>(
    '/api/v1/world/states',
    {
      config: { permission: 'history:read' },
      schema: {
        tags: ['world'],
        summary:
          'The plant at a moment: each twin’s latest value of the fields at or before `at`, and where history starts',
        querystring: {
          type: 'object',
          properties: {
            at: { type: 'string', description: 'ISO 8601 or epoch ms (default: now)' },
            fields: fieldsParam,
          },
        },
        response: { 200: statesSchema },
      },
    },
    async (request): Promise<WorldStatesAnswer> => {
      const now = Date.now();
      const at = request.query.at === undefined ? now : parseReplayTime(request.query.at, '/query/at');
      const fields = parseReplayFields(request.query.fields);
      const keys = await keysOf(request.graph, fields);
      const [found, first] = await Promise.all([
        history.latestAt(keys, at),
        history.rangeMany(keys, Number.MIN_SAFE_INTEGER, Math.max(now, at) + 1, 1),
      ]);
      return { at, now, fields, earliest: first[0]?.time ?? null, states: statesOf(keys, found) };
    },
  );

  app.get<{
    Querystring: { from: string; to?: string; fields?: string; limit?: number; continuation?: string };
  }>(
    '/api/v1/world/changes',
    {
      config: { permission: 'history:read' },
      schema: {
        tags: ['world'],
        summary:
          'Every change of the fields in [from, to), oldest first, as compact rows; at most 24 h per request, paged with `continuation`',
        querystring: {
          type: 'object',
          required: ['from'],
          properties: {
            from: { type: 'string', description: 'ISO 8601 or epoch ms, inclusive' },
            to: { type: 'string', description: 'ISO 8601 or epoch ms, exclusive (default: now)' },
            fields: fieldsParam,
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_CHANGES_LIMIT,
              default: DEFAULT_CHANGES_LIMIT,
              description: 'the most rows in one page',
            },
            continuation: { type: 'string', description: 'from the previous page, to read the next' },
          },
        },
        response: { 200: changesSchema },
      },
    },
    async (request): Promise<WorldChangesAnswer> => {
      const query = request.query;
      const from = parseReplayTime(query.from, '/query/from');
      const to = query.to === undefined ? Date.now() : parseReplayTime(query.to, '/query/to');
      checkWindow(from, to);
      const fields = parseReplayFields(query.fields);
      const limit = query.limit ?? DEFAULT_CHANGES_LIMIT;
      const cursor =
        query.continuation === undefined ? undefined : decodeContinuation(query.continuation, from, to);
      const keys = await keysOf(request.graph, fields);
      const read = await history.rangeMany(keys, cursor?.time ?? from, to, (cursor?.skip ?? 0) + limit + 1);
      return pageOfChanges(read, { from, to, fields, limit, ...(cursor === undefined ? {} : { cursor }) });
    },
  );
}
