// /api/v1/world/scene: the 3D scene generated from the twin graph, for the web world.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadScene } from '../../world/scene-source.js';

const number = { type: 'number' } as const;

const worldScene = {
  type: 'object',
  description:
    'The plant as the 3D world draws it: one object per twin, in identifier order. Coordinates are metres ' +
    'in the plant frame (x east, y north, z up); rotation is degrees about z.',
  required: ['bounds', 'objects'],
  properties: {
    root: { type: 'string', description: 'The twin whose subtree this is; absent for the whole plant' },
    bounds: {
      type: 'object',
      description: 'Extent of everything placed, for the initial camera',
      properties: { minX: number, minY: number, maxX: number, maxY: number },
    },
    objects: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'kind', 'model'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string', description: 'The twin’s name, else its identifier' },
          kind: {
            type: 'string',
            enum: [
              'site',
              'building',
              'zone',
              'workshop',
              'line',
              'station',
              'machine',
              'robot',
              'conveyor',
              'buffer',
              'agv',
              'person',
              'sensor',
              'other',
            ],
          },
          model: { type: 'string', description: 'The twin’s model (DTMI)' },
          parent: {
            type: 'string',
            description:
              'The twin that contains or hosts it, else where it is locatedIn or assignedTo, the site occupying it, or its owner; when in the scene',
          },
          layout: {
            type: 'object',
            properties: {
              x: number,
              y: number,
              z: number,
              rotation: number,
              width: number,
              depth: number,
              height: number,
            },
          },
          state: { type: 'string', description: 'Operating state (running, idle, blocked, …)' },
          type: { type: 'string', description: 'A finer type: stationType, machineType, …' },
        },
      },
    },
  },
} as const;

export async function worldRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { root?: string } }>(
    '/api/v1/world/scene',
    {
      config: { permission: 'twin:read' },
      schema: {
        tags: ['world'],
        summary: 'The 3D scene generated from the twin graph: the whole plant, or one twin’s subtree',
        querystring: {
          type: 'object',
          properties: {
            root: {
              type: 'string',
              description: 'Only this twin and what it contains or hosts, transitively',
            },
          },
        },
        headers: {
          type: 'object',
          properties: {
            'if-none-match': { type: 'string', description: 'The ETag of a scene held: 304 if unchanged' },
          },
        },
        response: {
          200: worldScene,
          304: { type: 'null', description: 'The scene is as the ETag sent in If-None-Match' },
        },
      },
    },
    async (request, reply) => {
      const body = JSON.stringify(await loadScene(request.graph, request.query.root));
      // States change with device traffic, which leaves twin versions alone: the ETag is of the body.
      const etag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
      reply.type('application/json; charset=utf-8');
      return body;
    },
  );
}

/** If-None-Match holds this (weak) ETag, or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === opaque;
  });
}
