// /api/v1/tokens: administrators create, list and revoke bearer tokens.
import type { FastifyInstance } from 'fastify';
import { AuthError, ValidationError } from '../../core/errors.js';
import { prefixProblem } from '../../twin/TenantScope.js';
import { ROLES, type Role } from '../auth/roles.js';
import type { RouteDeps } from '../route-deps.js';

export async function tokenRoutes(app: FastifyInstance, { tokens }: RouteDeps): Promise<void> {
  const tags = ['security'];
  app.get(
    '/api/v1/tokens',
    { config: { permission: 'platform' }, schema: { tags, summary: 'List tokens (never their secrets)' } },
    async () => ({ value: tokens.list(), continuationToken: null }),
  );

  app.post<{ Body: { name: string; role: Role; prefixes?: string[] } }>(
    '/api/v1/tokens',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        summary:
          'Create a token, optionally limited to identifier prefixes (tenants); its secret is returned once. ' +
          'An admin limited to prefixes can only create tokens within them.',
        body: {
          type: 'object',
          required: ['name', 'role'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            role: { type: 'string', enum: [...ROLES] },
            prefixes: {
              type: 'array',
              minItems: 1,
              maxItems: 100,
              items: { type: 'string', minLength: 1, maxLength: 100 },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const prefixes = checkPrefixes(request.body.prefixes, request.principal?.prefixes);
      const { token, info } = tokens.create(request.body.name, request.body.role, prefixes);
      request.log.info({ tokenId: info.id, role: info.role, by: request.principal?.name }, 'token created');
      reply.code(201);
      return { ...info, token };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/tokens/:id',
    { config: { permission: 'platform' }, schema: { tags, summary: 'Revoke a token' } },
    async (request, reply) => {
      tokens.revoke(request.params.id);
      request.log.info({ tokenId: request.params.id, by: request.principal?.name }, 'token revoked');
      reply.code(204);
    },
  );
}

/** The prefixes of a new token: valid Handle prefixes, within the creator's own when it has a scope. */
function checkPrefixes(
  wanted: string[] | undefined,
  own: readonly string[] | undefined,
): string[] | undefined {
  wanted?.forEach((prefix, i) => {
    const problem = prefixProblem(prefix);
    if (problem !== undefined) {
      throw new ValidationError('IMV_REQUEST_INVALID', `Prefix "${prefix}": ${problem}`, {
        path: `/prefixes/${i}`,
      });
    }
  });
  if (own === undefined) return wanted;
  const outside = (wanted ?? []).map((p) => p.toUpperCase()).filter((p) => !own.includes(p));
  if (wanted === undefined || outside.length > 0) {
    throw new AuthError(
      'IMV_AUTH_FORBIDDEN',
      `This token may only create tokens limited to ${own.join(', ')}`,
      {
        path: '/prefixes',
      },
    );
  }
  return wanted;
}
