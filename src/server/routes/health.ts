// Liveness, readiness and Prometheus metrics.
import type { FastifyInstance } from 'fastify';
import { ImverseError } from '../../core/errors.js';
import type { RouteDeps } from '../route-deps.js';

export async function healthRoutes(app: FastifyInstance, { metrics, ready }: RouteDeps): Promise<void> {
  const tags = ['operations'];
  app.get(
    '/healthz',
    { config: { permission: 'public' }, schema: { tags, summary: 'The process is alive' } },
    async () => ({
      status: 'ok',
    }),
  );

  app.get(
    '/readyz',
    {
      config: { permission: 'public' },
      schema: { tags, summary: 'The stores answer and requests can be served' },
    },
    async () => {
      if (ready !== undefined && !(await ready().catch(() => false))) {
        throw new ImverseError('IMV_UNAVAILABLE', 'The twin store does not answer');
      }
      return { status: 'ready' };
    },
  );

  app.get(
    '/metrics',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags,
        summary:
          'Prometheus metrics (text exposition format): platform-wide, so not for a token limited to prefixes',
      },
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
