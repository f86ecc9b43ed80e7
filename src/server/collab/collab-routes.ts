// /api/v1/world/collab/{room}: the collaboration WebSocket (y-websocket protocol) for presence,
// annotations and layout drafts; /api/v1/world/me: who the caller is and whether it may edit.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import type { Principal } from '../auth/roles.js';
import { allows } from '../auth/roles.js';
import { scopeKey } from './CollabHub.js';

/** Writers and admins edit shared documents; so does anyone in the explicit local demo, to try it out. */
export function mayCollaborate(principal: Principal | undefined): boolean {
  return principal !== undefined && (principal.via === 'demo' || allows(principal, 'write'));
}

export async function collabRoutes(app: FastifyInstance, { collab }: RouteDeps): Promise<void> {
  const tags = ['world'];
  app.get(
    '/api/v1/world/me',
    {
      config: { permission: 'read' },
      schema: {
        tags,
        summary: 'Who the caller is: name, role, tenant prefixes, and whether it may edit shared documents',
        response: {
          200: {
            type: 'object',
            required: ['name', 'role', 'via', 'canCollaborate'],
            properties: {
              name: { type: 'string' },
              role: { type: 'string', enum: ['reader', 'writer', 'admin'] },
              via: { type: 'string', enum: ['token', 'demo'] },
              prefixes: { type: 'array', items: { type: 'string' } },
              canCollaborate: {
                type: 'boolean',
                description: 'May add annotations and edit layout drafts (writer, admin, or the local demo)',
              },
            },
          },
        },
      },
    },
    async (request) => {
      const principal = request.principal!;
      return {
        name: principal.name,
        role: principal.role,
        via: principal.via,
        ...(principal.prefixes ? { prefixes: principal.prefixes } : {}),
        canCollaborate: mayCollaborate(principal),
      };
    },
  );

  app.get<{ Params: { room: string } }>(
    '/api/v1/world/collab/:room',
    {
      websocket: true,
      config: { permission: 'read' },
      schema: {
        tags,
        summary:
          'WebSocket speaking the y-websocket protocol (Yjs sync + awareness) for one room: `world` holds ' +
          'presence and annotations, `layout.{draft}` a layout draft. Readers share presence; edits need ' +
          'write (or the local demo). Browsers pass ?access_token=.',
        params: {
          type: 'object',
          required: ['room'],
          properties: { room: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$' } },
        },
      },
    },
    (socket, request) => {
      const principal = request.principal!;
      collab.attach(socket, scopeKey(principal.prefixes), request.params.room, mayCollaborate(principal));
    },
  );
}
