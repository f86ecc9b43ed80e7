// /api/v1/tokens: administrators create, list and revoke bearer tokens.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthError, NotFoundError, ValidationError } from '../../core/errors.js';
import { makeEvent } from '../../core/events.js';
import { SECURITY_EVENT_TYPES, type SecurityEventData, type SecurityEventType } from '../../core/wire.js';
import { tokenExpiry } from '../auth/token-expiry.js';
import { prefixProblem } from '../../twin/TenantScope.js';
import { ROLES, roleNamed, type Role } from '../auth/roles.js';
import { LEGACY_ROLES } from '../../access/roles.js';
import type { TokenInfo } from '../auth/TokenStore.js';
import type { RouteDeps } from '../route-deps.js';

export async function tokenRoutes(app: FastifyInstance, { tokens, bus }: RouteDeps): Promise<void> {
  const tags = ['security'];
  /** Tells the audit log, and the live sockets (which close a revoked token's connections). */
  const announce = (type: SecurityEventType, request: FastifyRequest, id: string, action: string) =>
    bus.publish([
      makeEvent<SecurityEventData>(type, {
        actor: request.principal?.name ?? 'anonymous',
        credential: `token:${id}`,
        action,
        target: id,
        source: request.ip,
        result: 'ok',
      }),
    ]);

  app.get(
    '/api/v1/tokens',
    {
      config: { permission: 'tokens:read' },
      schema: {
        tags,
        summary:
          'List tokens (never their secrets), with their expiry and when each was last used; an admin limited ' +
          'to tenants sees the tokens limited to those tenants',
      },
    },
    async (request) => ({
      value: tokens.list().filter((info) => withinTenants(info, request.principal!.prefixes)),
      continuationToken: null,
    }),
  );

  app.post<{
    Body: {
      name: string;
      role: Role | keyof typeof LEGACY_ROLES;
      prefixes?: string[];
      expiresIn?: string;
      expires?: string;
    };
  }>(
    '/api/v1/tokens',
    {
      config: { permission: 'tokens:write' },
      schema: {
        tags,
        summary:
          'Create a token, optionally limited to identifier prefixes (tenants); its secret is returned once. ' +
          'An admin limited to prefixes can only create tokens within them. ' +
          'It expires after `expiresIn` (e.g. 90d, 12h) or at `expires` (ISO 8601), or never.',
        body: {
          type: 'object',
          required: ['name', 'role'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            role: { type: 'string', enum: [...ROLES, ...Object.keys(LEGACY_ROLES)] },
            prefixes: {
              type: 'array',
              minItems: 1,
              maxItems: 100,
              items: { type: 'string', minLength: 1, maxLength: 100 },
            },
            expiresIn: { type: 'string', maxLength: 20, description: 'e.g. 90d, 12h, 30m, 3600s' },
            expires: { type: 'string', maxLength: 40, description: 'e.g. 2027-01-31T00:00:00Z' },
          },
        },
      },
    },
    async (request, reply) => {
      const prefixes = checkPrefixes(request.body.prefixes, request.principal?.prefixes);
      const expires = tokenExpiry(request.body, Date.now());
      const { token, info } = tokens.create(
        request.body.name,
        roleNamed(request.body.role)!,
        prefixes,
        expires,
      );
      request.log.info({ tokenId: info.id, role: info.role, by: request.principal?.name }, 'token created');
      await announce(SECURITY_EVENT_TYPES.tokenCreated, request, info.id, 'token.create');
      reply.code(201);
      return { ...info, token };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/tokens/:id',
    {
      config: { permission: 'tokens:write' },
      schema: { tags, summary: 'Revoke a token; an admin limited to tenants, one limited to those tenants' },
    },
    async (request, reply) => {
      // Another tenant's token is answered like a missing one: its existence is not for this caller.
      const info = tokens.list().find((token) => token.id === request.params.id);
      if (info === undefined || !withinTenants(info, request.principal!.prefixes)) {
        throw new NotFoundError('IMV_TOKEN_NOT_FOUND', `No token ${request.params.id}`);
      }
      tokens.revoke(request.params.id);
      request.log.info({ tokenId: request.params.id, by: request.principal?.name }, 'token revoked');
      await announce(SECURITY_EVENT_TYPES.credentialRevoked, request, request.params.id, 'token.revoke');
      reply.code(204);
    },
  );
}

/** Whether a token lies within a caller's tenants: every token for a caller limited to none. */
function withinTenants(info: TokenInfo, tenants: readonly string[] | undefined): boolean {
  if (tenants === undefined) return true;
  return info.prefixes !== undefined && info.prefixes.every((prefix) => tenants.includes(prefix));
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
