// GET /api/v1/world/annotations: the notes people pinned on machines in the 3D world, read from the
// collaboration room `world` of the caller's tenant scope, for reports and integrations that do not
// speak Yjs. Malformed entries (written by a broken or hostile client) are left out, as the page does.
import type { FastifyInstance } from 'fastify';
import { ANNOTATIONS_MAP, PRESENCE_ROOM, readAnnotations } from '../../core/wire-presence.js';
import { ROLES } from '../../access/roles.js';
import type { RouteDeps } from '../route-deps.js';
import { scopeKey } from '../collab/CollabHub.js';

const annotation = {
  type: 'object',
  required: ['id', 'twin', 'text', 'author', 'createdAt'],
  properties: {
    id: { type: 'string' },
    twin: { type: 'string', description: 'The twin the note is pinned on' },
    text: { type: 'string', description: 'The note, at most 280 characters' },
    author: {
      type: 'object',
      required: ['name', 'colour', 'key'],
      properties: {
        name: {
          type: 'string',
          description:
            'Stamped by the server: the author’s token name (in the local demo, the visitor name they chose)',
        },
        role: {
          type: 'string',
          enum: [...ROLES],
          description: 'Stamped by the server: the author’s role (absent on notes written before stamping)',
        },
        colour: { type: 'string', description: '#rrggbb' },
        key: { type: 'string', description: 'The author’s browser key: notes with one key are one person’s' },
      },
    },
    createdAt: { type: 'integer', description: 'When it was written, ms since the epoch' },
  },
} as const;

export async function worldAnnotationRoutes(app: FastifyInstance, { collab }: RouteDeps): Promise<void> {
  app.get<{ Querystring: { twin?: string } }>(
    '/api/v1/world/annotations',
    {
      config: { permission: 'layouts:read' },
      schema: {
        tags: ['world'],
        summary: 'Notes pinned on machines in the 3D world, oldest first (see docs/world-presence.md)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            twin: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
              description: 'Only the notes on this twin',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['annotations'],
            properties: { annotations: { type: 'array', items: annotation } },
          },
        },
      },
    },
    async (request) => {
      // Reading never creates the room: a tenant nobody wrote notes for has none.
      const doc = collab.read(scopeKey(request.principal!.prefixes), PRESENCE_ROOM);
      return {
        annotations: readAnnotations(doc.getMap<unknown>(ANNOTATIONS_MAP).entries(), request.query.twin),
      };
    },
  );
}
