// /api/v1/models: upload DTDL models (v2 or v3), list, read and delete them.
import type { FastifyInstance } from 'fastify';
import type { ModelInfo } from '../../model/registry.js';
import type { RouteDeps } from '../route-deps.js';
import { pageOf } from './schemas.js';

export async function modelRoutes(app: FastifyInstance, { graph }: RouteDeps): Promise<void> {
  const tags = ['models'];

  app.get<{ Querystring: { includeModelDefinition?: boolean } }>(
    '/api/v1/models',
    {
      config: { permission: 'model:read' },
      schema: {
        tags,
        summary: 'List models',
        querystring: {
          type: 'object',
          properties: { includeModelDefinition: { type: 'boolean', default: false } },
        },
        response: { 200: pageOf('All models') },
      },
    },
    async (request) => ({
      value: graph.models
        .list()
        .map((model) => summary(model, request.query.includeModelDefinition === true)),
      continuationToken: null,
    }),
  );

  app.post<{ Body: unknown }>(
    '/api/v1/models',
    {
      config: { permission: 'model:write' },
      schema: {
        tags,
        summary: 'Upload DTDL interfaces: one document, or an array of them (all or nothing)',
        body: { type: ['array', 'object'] },
      },
    },
    async (request, reply) => {
      const documents = Array.isArray(request.body) ? request.body : [request.body];
      const added = await graph.addModels(
        documents.map((content, index) => ({ source: `body[${index}]`, content })),
      );
      reply.code(201);
      return { value: added.map((model) => summary(model, false)) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/models/:id',
    { config: { permission: 'model:read' }, schema: { tags, summary: 'Read a model (with its DTDL)' } },
    async (request) => summary(graph.getModel(request.params.id), true),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/models/:id',
    {
      config: { permission: 'model:write' },
      schema: { tags, summary: 'Delete a model no twin or model uses' },
    },
    async (request, reply) => {
      await graph.deleteModel(request.params.id);
      reply.code(204);
    },
  );
}

function summary(model: ModelInfo, withDefinition: boolean) {
  return {
    id: model.id,
    displayName: model.displayName,
    description: model.description,
    extends: model.extends,
    ...(withDefinition ? { model: model.document } : {}),
  };
}
