// GET /api/v1/audit: the audit log for platform administrators, newest first, filtered and paged.
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors.js';
import { parseTime } from '../routes/time-params.js';
import type { AuditResult } from './chain.js';
import type { AuditLog } from './AuditLog.js';

const text = { type: 'string', minLength: 1, maxLength: 512 } as const;

const auditRecord = {
  type: 'object',
  required: ['seq', 'time', 'actor', 'action', 'result', 'repeat', 'prev', 'hash'],
  properties: {
    seq: { type: 'integer', description: '1, 2, 3, … without gaps' },
    time: { type: 'string', format: 'date-time', description: 'When the log recorded it (UTC)' },
    actor: { type: 'string', description: 'Who: the principal, or "anonymous"' },
    credential: { type: 'string', description: 'The credential used or affected: token:ID, session:ID, …' },
    action: { type: 'string', description: 'What: token.create, GET /api/v1/twins/{id}, …' },
    target: { type: 'string', description: 'To what: a twin, a token id, a user name, a URL path' },
    source: { type: 'string', description: 'From where: the client address ("*": many, see repeat)' },
    result: { type: 'string', enum: ['ok', 'refused', 'failed'] },
    code: { type: 'string', description: 'The stable error code of a refusal or failure' },
    repeat: {
      type: 'integer',
      description:
        'How many occurrences the record stands for: identical refusals are counted into one record',
    },
    prev: { type: 'string', description: "The previous record's hash (64 zeros for the first)" },
    hash: { type: 'string', description: 'SHA-256 over the previous hash and this record (docs/audit.md)' },
  },
} as const;

interface AuditListQuery {
  since?: string;
  until?: string;
  actor?: string;
  action?: string;
  result?: AuditResult;
  before?: number;
  limit?: number;
}

export async function auditRoutes(app: FastifyInstance, { audit }: { audit: AuditLog }): Promise<void> {
  app.get<{ Querystring: AuditListQuery }>(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['security'],
        summary:
          'The audit log, newest first: who did what, to what, from where, with what result. Page back with ' +
          'before=<the "before" of the previous page>.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            since: { type: 'string', description: 'From this time on (ISO 8601 or epoch ms)' },
            until: { type: 'string', description: 'Before this time (ISO 8601 or epoch ms)' },
            actor: text,
            action: { ...text, description: 'Exactly, e.g. token.create or GET /api/v1/twins/{id}' },
            result: { type: 'string', enum: ['ok', 'refused', 'failed'] },
            before: { type: 'integer', minimum: 1, description: 'Only records older than this seq' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['value', 'before'],
            properties: {
              value: { type: 'array', items: auditRecord },
              before: {
                type: ['integer', 'null'],
                description: 'The cursor of the next (older) page; null on the last page',
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { since, until, limit = 100, ...filter } = request.query;
      const value = audit.list({
        ...filter,
        ...(since === undefined ? {} : { since: isoTime(since, '/query/since') }),
        ...(until === undefined ? {} : { until: isoTime(until, '/query/until') }),
        limit,
      });
      return { value, before: value.length === limit ? value[value.length - 1]!.seq : null };
    },
  );
}

/** Records keep their time as ISO 8601 UTC, which sorts as text. */
function isoTime(text: string, path: string): string {
  const date = new Date(parseTime(text, path));
  if (Number.isNaN(date.getTime())) {
    throw new ValidationError('IMV_REQUEST_INVALID', `"${text}" is not a time between the years 0 and 9999`, {
      path,
    });
  }
  return date.toISOString();
}
