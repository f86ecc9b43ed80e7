// /api/v1/twins: create, read, replace, patch (JSON Patch), delete, list and traverse twins.
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors.js';
import { anyObject, idParam, pageOf, pageQuery, preconditionHeaders, preconditions } from './schemas.js';

type IdParams = { id: string };

export async function twinRoutes(app: FastifyInstance): Promise<void> {
  const tags = ['twins'];

  app.get<{ Querystring: { model?: string; pageSize?: number; continuationToken?: string } }>(
    '/api/v1/twins',
    {
      config: { permission: 'twin:read' },
      schema: {
        tags,
        summary: 'List twins, optionally of one model (following extends)',
        querystring: { type: 'object', properties: { model: { type: 'string' }, ...pageQuery } },
        response: { 200: pageOf('A page of twins') },
      },
    },
    async (request) => request.graph.listTwins(request.query),
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/api/v1/twins',
    {
      config: { permission: 'twin:write' },
      schema: {
        tags,
        summary: 'Create a twin; the body carries its $dtId and $metadata.$model',
        body: { type: 'object', required: ['$dtId'], properties: { $dtId: { type: 'string' } } },
      },
    },
    async (request, reply) => {
      const created = await request.graph.putTwin(request.body.$dtId as string, request.body, {
        ifNoneMatch: '*',
      });
      reply.code(201).header('etag', created.doc.$etag).header('location', twinPath(created.id));
      return created.doc;
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/v1/twins/:id',
    { config: { permission: 'twin:read' }, schema: { tags, summary: 'Read a twin', params: idParam } },
    async (request, reply) => {
      const twin = await request.graph.getTwinJson(request.params.id);
      reply.header('etag', twin.etag).type('application/json; charset=utf-8');
      return twin.json;
    },
  );

  app.put<{ Params: IdParams; Body: Record<string, unknown> }>(
    '/api/v1/twins/:id',
    {
      config: { permission: 'twin:write' },
      schema: {
        tags,
        summary:
          'Create or replace a twin (If-None-Match: * to create only; If-Match to replace a known version)',
        params: idParam,
        headers: preconditionHeaders,
        body: anyObject,
      },
    },
    async (request, reply) => {
      const stored = await request.graph.putTwin(
        request.params.id,
        request.body,
        preconditions(request.headers),
      );
      reply.code(stored.version === 1 ? 201 : 200).header('etag', stored.doc.$etag);
      return stored.doc;
    },
  );

  app.patch<{ Params: IdParams; Body: unknown }>(
    '/api/v1/twins/:id',
    {
      config: { permission: 'twin:write' },
      schema: {
        tags,
        summary: 'Update a twin with an RFC 6902 JSON Patch (application/json-patch+json)',
        params: idParam,
        headers: preconditionHeaders,
        body: { type: 'array', items: { type: 'object' } },
      },
    },
    async (request, reply) => {
      const updated = await request.graph.patchTwin(
        request.params.id,
        request.body,
        preconditions(request.headers),
      );
      reply.header('etag', updated.doc.$etag);
      return updated.doc;
    },
  );

  app.delete<{ Params: IdParams }>(
    '/api/v1/twins/:id',
    {
      config: { permission: 'twin:write' },
      schema: {
        tags,
        summary: 'Delete a twin and its relationships',
        params: idParam,
        headers: preconditionHeaders,
      },
    },
    async (request, reply) => {
      await request.graph.deleteTwin(request.params.id, preconditions(request.headers));
      reply.code(204);
    },
  );

  app.get<{
    Params: IdParams;
    Querystring: { relationship?: string; direction?: 'out' | 'in'; maxDepth?: number; limit?: number };
  }>(
    '/api/v1/twins/:id/traverse',
    {
      config: { permission: 'twin:read' },
      schema: {
        tags,
        summary:
          'Twins reachable over a relationship: everything a line contains (out), what is upstream (in, feeds)',
        params: idParam,
        querystring: {
          type: 'object',
          properties: {
            relationship: { type: 'string', default: 'contains' },
            direction: { type: 'string', enum: ['out', 'in'], default: 'out' },
            maxDepth: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
            limit: { type: 'integer', minimum: 1, maximum: 100000, default: 10000 },
          },
        },
      },
    },
    async (request) => {
      const { relationship = 'contains', direction = 'out', maxDepth, limit } = request.query;
      const twins = await request.graph.traverse(request.params.id, {
        relationship,
        direction,
        ...(maxDepth === undefined ? {} : { maxDepth }),
        ...(limit === undefined ? {} : { limit }),
      });
      return { value: twins };
    },
  );

  app.post<{ Body: unknown }>(
    '/api/v1/import',
    {
      config: { permission: 'twin:write' },
      schema: {
        tags,
        summary: 'Bulk-import twins and relationships (all or nothing)',
        body: {
          type: 'object',
          required: ['twins'],
          properties: {
            twins: { type: 'array', items: anyObject },
            relationships: { type: 'array', items: anyObject },
          },
        },
      },
    },
    async (request) => {
      const body = request.body as { twins: unknown[]; relationships?: unknown[] };
      return request.graph.importTwins({
        twins: body.twins.map((twin, index) => seedOf(twin, index)),
        relationships: (body.relationships ?? []).map((rel, index) => relationshipSeedOf(rel, index)),
      });
    },
  );
}

export function twinPath(id: string): string {
  return `/api/v1/twins/${encodeURIComponent(id)}`;
}

function seedOf(value: unknown, index: number) {
  const twin = value as Record<string, unknown>;
  const model = (twin.$metadata as Record<string, unknown> | undefined)?.$model;
  if (typeof twin.$dtId !== 'string' || typeof model !== 'string') {
    throw new ValidationError('IMV_REQUEST_INVALID', 'Each twin needs $dtId and $metadata.$model', {
      path: `/twins/${index}`,
    });
  }
  const properties: Record<string, unknown> = {};
  for (const key of Object.keys(twin)) if (!key.startsWith('$')) properties[key] = twin[key];
  return { id: twin.$dtId, model, properties };
}

function relationshipSeedOf(value: unknown, index: number) {
  const rel = value as Record<string, unknown>;
  for (const key of ['$relationshipId', '$sourceId', '$relationshipName', '$targetId']) {
    if (typeof rel[key] !== 'string') {
      throw new ValidationError('IMV_REQUEST_INVALID', `Each relationship needs ${key}`, {
        path: `/relationships/${index}/${key}`,
      });
    }
  }
  const properties: Record<string, unknown> = {};
  for (const key of Object.keys(rel)) if (!key.startsWith('$')) properties[key] = rel[key];
  return {
    id: rel.$relationshipId as string,
    source: rel.$sourceId as string,
    name: rel.$relationshipName as string,
    target: rel.$targetId as string,
    properties,
  };
}
