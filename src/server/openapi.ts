// OpenAPI 3.1 from the route schemas, served at /api/v1/openapi.json, with a docs page at /docs.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ERROR_CODES } from '../core/errors.js';

export const API_VERSION = '0.1.0';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Imverse API',
        version: API_VERSION,
        description:
          'Twins, models, relationships, queries and live events of the Imverse industrial metaverse platform. ' +
          'Errors are RFC 9457 application/problem+json with a stable `code` (see docs/errors.md). ' +
          'Identifiers in paths are percent-encoded (encodeURIComponent), e.g. /api/v1/twins/88.100.1%2Fline-1.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        schemas: {
          Problem: {
            type: 'object',
            properties: {
              type: { type: 'string' },
              title: { type: 'string' },
              status: { type: 'integer' },
              detail: { type: 'string' },
              code: { type: 'string', enum: Object.keys(ERROR_CODES) },
              path: { type: 'string', description: 'JSON Pointer of the part of the request at fault' },
              hint: { type: 'string' },
              instance: { type: 'string' },
              issues: { type: 'array', items: { type: 'object' } },
            },
          },
        },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/v1/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
