// /api/v1/tokens: administrators create, list and revoke bearer tokens.
import type { FastifyInstance } from 'fastify';
import { ROLES, type Role } from '../auth/roles.js';
import type { RouteDeps } from '../app.js';

export async function tokenRoutes(app: FastifyInstance, { tokens }: RouteDeps): Promise<void> {
  const tags = ['security'];
  app.get(
    '/api/v1/tokens',
    { config: { permission: 'admin' }, schema: { tags, summary: 'List tokens (never their secrets)' } },
    async () => ({ value: tokens.list(), continuationToken: null }),
  );

  app.post<{ Body: { name: string; role: Role } }>(
    '/api/v1/tokens',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary: 'Create a token; its secret is returned once',
        body: {
          type: 'object',
          required: ['name', 'role'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            role: { type: 'string', enum: [...ROLES] },
          },
        },
      },
    },
    async (request, reply) => {
      const { token, info } = tokens.create(request.body.name, request.body.role);
      request.log.info({ tokenId: info.id, role: info.role, by: request.principal?.name }, 'token created');
      reply.code(201);
      return { ...info, token };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/tokens/:id',
    { config: { permission: 'admin' }, schema: { tags, summary: 'Revoke a token' } },
    async (request, reply) => {
      tokens.revoke(request.params.id);
      request.log.info({ tokenId: request.params.id, by: request.principal?.name }, 'token revoked');
      reply.code(204);
    },
  );
}
