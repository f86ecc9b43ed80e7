// /api/v1/query: the Azure Digital Twins query language subset (docs/query.md).
import type { FastifyInstance } from 'fastify';
import { pageOf } from './schemas.js';

export async function queryRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: { query?: string; pageSize?: number; continuationToken?: string } }>(
    '/api/v1/query',
    {
      config: { permission: 'twin:read' },
      schema: {
        tags: ['query'],
        summary: "Run a query, e.g. SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL('dtmi:imverse:Station;1')",
        body: {
          type: 'object',
          properties: {
            query: { type: 'string', maxLength: 8000 },
            pageSize: { type: 'integer', minimum: 1, maximum: 1000 },
            continuationToken: { type: 'string' },
          },
        },
        response: { 200: pageOf('A page of results') },
      },
    },
    async (request) => {
      const { query, ...page } = request.body;
      return request.graph.query(query, page);
    },
  );
}
