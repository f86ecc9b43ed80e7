// /api/v1/policies: who may read, write and execute what (docs/security.md), and
// /api/v1/access: what the caller itself may do, for pages that show or hide controls.
import type { FastifyInstance } from 'fastify';
import { ACTIONS, parseResource, type Action } from '../../access/resource.js';
import type { RouteDeps } from '../route-deps.js';
import type { PolicyWriter } from './PolicyService.js';
import type { FastifyRequest } from 'fastify';

const policyId = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' } as const;

export async function policyRoutes(app: FastifyInstance, { policies }: RouteDeps): Promise<void> {
  const tags = ['security'];
  const writer = (request: FastifyRequest): PolicyWriter => ({
    name: request.principal!.name,
    view: request.access!,
    unrestricted: request.principal!.prefixes === undefined,
    source: request.ip,
  });

  app.get(
    '/api/v1/policies',
    {
      config: { permission: 'policies:read' },
      schema: { tags, summary: 'List the stored policies (the built-in roles are in docs/security.md)' },
    },
    async () => ({ value: policies.list(), continuationToken: null }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/policies/:id',
    {
      config: { permission: 'policies:read' },
      schema: {
        tags,
        summary: 'One policy, its revision and who changed it last',
        params: { type: 'object', properties: { id: policyId } },
      },
    },
    async (request) => policies.get(request.params.id),
  );

  app.put<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/api/v1/policies/:id',
    {
      config: { permission: 'policies:write' },
      schema: {
        tags,
        summary:
          'Create or replace a policy: labelled entries of subjects (user:, group:, key:, device:, role:) and ' +
          'resources (twin:/SUBTREE#field, history:/, studies:/, …) with the actions granted and revoked. ' +
          'A caller may grant and revoke only what it may do itself.',
        params: { type: 'object', properties: { id: policyId } },
        body: { type: 'object' },
      },
    },
    async (request, reply) => {
      const stored = await policies.put({ ...request.body, id: request.params.id }, writer(request));
      reply.code(stored.revision === 1 ? 201 : 200);
      return stored;
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/policies/:id',
    {
      config: { permission: 'policies:write' },
      schema: { tags, summary: 'Delete a policy', params: { type: 'object', properties: { id: policyId } } },
    },
    async (request, reply) => {
      await policies.delete(request.params.id, writer(request));
      reply.code(204);
    },
  );

  app.get<{ Querystring: { resource: string } }>(
    '/api/v1/access',
    {
      config: { permission: 'signed-in' },
      schema: {
        tags,
        summary: 'What the caller may do on a resource (e.g. twin:/88.100.1/line-2): read, write, execute',
        querystring: {
          type: 'object',
          required: ['resource'],
          properties: { resource: { type: 'string', minLength: 3, maxLength: 600 } },
        },
      },
    },
    async (request) => {
      const { kind, subtree, field } = parseResource(request.query.resource, '/resource');
      const allowed = Object.fromEntries(
        ACTIONS.map((action: Action) => [action, request.access!.can(action, kind, subtree, field)]),
      );
      return { resource: request.query.resource, ...allowed };
    },
  );
}
