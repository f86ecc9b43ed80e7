// /api/v1/twins/{id}/relationships: a twin's outgoing and incoming relationships.
import type { FastifyInstance } from 'fastify';
import { anyObject, pageOf, pageQuery, preconditionHeaders, preconditions } from './schemas.js';

type RelParams = { id: string; relId: string };
const relParams = {
  type: 'object',
  properties: { id: { type: 'string' }, relId: { type: 'string' } },
  required: ['id', 'relId'],
} as const;

export async function relationshipRoutes(app: FastifyInstance): Promise<void> {
  const tags = ['relationships'];
  const listQuery = {
    type: 'object',
    properties: { relationshipName: { type: 'string' }, ...pageQuery },
  } as const;

  for (const [path, direction] of [
    ['/api/v1/twins/:id/relationships', 'out'],
    ['/api/v1/twins/:id/incomingrelationships', 'in'],
  ] as const) {
    app.get<{
      Params: { id: string };
      Querystring: { relationshipName?: string; pageSize?: number; continuationToken?: string };
    }>(
      path,
      {
        config: { permission: 'twin:read' },
        schema: {
          tags,
          summary: direction === 'out' ? 'Relationships from the twin' : 'Relationships to the twin',
          querystring: listQuery,
          response: { 200: pageOf('A page of relationships') },
        },
      },
      async (request) => {
        const { relationshipName, ...page } = request.query;
        return request.graph.listRelationships(request.params.id, {
          direction,
          ...(relationshipName === undefined ? {} : { name: relationshipName }),
          ...page,
        });
      },
    );
  }

  app.get<{ Params: RelParams }>(
    '/api/v1/twins/:id/relationships/:relId',
    {
      config: { permission: 'twin:read' },
      schema: { tags, summary: 'Read a relationship', params: relParams },
    },
    async (request, reply) => {
      const doc = await request.graph.getRelationship(request.params.id, request.params.relId);
      reply.header('etag', doc.$etag);
      return doc;
    },
  );

  app.put<{ Params: RelParams; Body: unknown }>(
    '/api/v1/twins/:id/relationships/:relId',
    {
      config: { permission: 'twin:write' },
      schema: {
        tags,
        summary: 'Create or replace a relationship ($relationshipName, $targetId and its properties)',
        params: relParams,
        headers: preconditionHeaders,
        body: anyObject,
      },
    },
    async (request, reply) => {
      const doc = await request.graph.putRelationship(
        request.params.id,
        request.params.relId,
        request.body,
        preconditions(request.headers),
      );
      reply.code(doc.$etag === 'W/"1"' ? 201 : 200).header('etag', doc.$etag);
      return doc;
    },
  );

  app.patch<{ Params: RelParams; Body: unknown }>(
    '/api/v1/twins/:id/relationships/:relId',
    {
      config: { permission: 'twin:write' },
      schema: {
        tags,
        summary: "Update a relationship's properties with a JSON Patch",
        params: relParams,
        headers: preconditionHeaders,
        body: { type: 'array', items: { type: 'object' } },
      },
    },
    async (request, reply) => {
      const doc = await request.graph.patchRelationship(
        request.params.id,
        request.params.relId,
        request.body,
        preconditions(request.headers),
      );
      reply.header('etag', doc.$etag);
      return doc;
    },
  );

  app.delete<{ Params: RelParams }>(
    '/api/v1/twins/:id/relationships/:relId',
    {
      config: { permission: 'twin:write' },
      schema: { tags, summary: 'Delete a relationship', params: relParams, headers: preconditionHeaders },
    },
    async (request, reply) => {
      await request.graph.deleteRelationship(
        request.params.id,
        request.params.relId,
        preconditions(request.headers),
      );
      reply.code(204);
    },
  );
}
