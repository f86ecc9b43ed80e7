// /api/v1/devices: credentials of devices that publish to the embedded MQTT broker.
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors.js';
import { topicFilterProblem } from '../../ingest/mapping/topic-pattern.js';
import type { RouteDeps } from '../route-deps.js';

export async function deviceRoutes(app: FastifyInstance, { devices }: RouteDeps): Promise<void> {
  const tags = ['ingest'];
  app.get(
    '/api/v1/devices',
    {
      config: { permission: 'devices:read' },
      schema: { tags, summary: 'List MQTT devices (never their secrets)' },
    },
    async () => ({ value: devices.list(), continuationToken: null }),
  );

  app.post<{ Body: { id: string; topics: string[] } }>(
    '/api/v1/devices',
    {
      config: { permission: 'devices:write' },
      schema: {
        tags,
        summary:
          'Register a device: its MQTT user name (id) and the topic filters it may publish to; the password ' +
          '(secret) is returned once',
        body: {
          type: 'object',
          required: ['id', 'topics'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
            topics: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1 } },
          },
        },
      },
    },
    async (request, reply) => {
      checkFilters(request.body.topics);
      const { secret, info } = devices.create(request.body.id, request.body.topics);
      request.log.info({ device: info.id, by: request.principal?.name }, 'device created');
      reply.code(201);
      return { ...info, secret };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/devices/:id',
    {
      config: { permission: 'devices:write' },
      schema: { tags, summary: 'Remove a device: it can no longer connect' },
    },
    async (request, reply) => {
      devices.remove(request.params.id);
      request.log.info({ device: request.params.id, by: request.principal?.name }, 'device removed');
      reply.code(204);
    },
  );
}

export function checkFilters(topics: readonly string[]): void {
  topics.forEach((topic, i) => {
    const problem = topicFilterProblem(topic);
    if (problem !== undefined) {
      throw new ValidationError('IMV_REQUEST_INVALID', `Topic filter "${topic}": ${problem}`, {
        path: `/topics/${i}`,
      });
    }
  });
}
