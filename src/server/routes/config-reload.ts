// /api/v1/ingest/reload: reload the mapping file and sources.yaml without a restart, and see how the
// last reload (by the API, a file change or SIGHUP) went. Platform administrators only: mappings
// and sources serve every tenant.
import type { FastifyInstance } from 'fastify';
import { ImverseError } from '../../core/errors.js';
import type { RouteDeps } from '../route-deps.js';

export async function configReloadRoutes(
  app: FastifyInstance,
  { configReload, metrics }: RouteDeps,
): Promise<void> {
  if (configReload === undefined) return;
  metrics.registerConfigReload(() => ({
    ...configReload.counts(),
    lastSucceeded: configReload.status().result === 'ok',
  }));
  const tags = ['ingest'];

  app.get(
    '/api/v1/ingest/reload',
    {
      config: { permission: 'devices:write' },
      schema: {
        tags,
        summary:
          'The last load of the mapping file and sources.yaml: when, what triggered it, its result and ' +
          'issues, and what is in force',
      },
    },
    async () => configReload.status(),
  );

  app.post(
    '/api/v1/ingest/reload',
    {
      config: { permission: 'devices:write' },
      schema: {
        tags,
        summary:
          'Read the mapping file and sources.yaml again and put them in force; sources whose settings ' +
          'changed are restarted. When either file is wrong nothing changes, and the answer lists every issue.',
      },
    },
    async (request) => {
      const status = await configReload.reload('api');
      request.log.info({ by: request.principal?.name, result: status.result }, 'configuration reload');
      if (status.result === 'failed') {
        throw new ImverseError('IMV_CONFIG_RELOAD_FAILED', status.message, { issues: status.issues });
      }
      return status;
    },
  );
}
