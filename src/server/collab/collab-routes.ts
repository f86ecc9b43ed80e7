// /api/v1/world/collab/{room}: the collaboration WebSocket (y-websocket protocol) for presence,
// annotations and layout drafts; /api/v1/world/me: who the caller is and whether it may edit.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import type { AccessView } from '../../access/access-view.js';
import { ROLES } from '../../access/roles.js';
import { authorshipOf } from './authorship.js';
import { scopeKey } from './CollabHub.js';

/**
 * Who may edit shared documents (layout drafts, notes): whoever may write layouts — engineers,
 * admins, and anyone in the explicit local demo, to try it out (src/access/roles.ts).
 */
export function mayCollaborate(access: AccessView | undefined): boolean {
  return access?.can('write', 'layouts') ?? false;
}

export async function collabRoutes(app: FastifyInstance, { collab }: RouteDeps): Promise<void> {
  const tags = ['world'];
  app.get(
    '/api/v1/world/me',
    {
      config: { permission: 'layouts:read' },
      schema: {
        tags,
        summary: 'Who the caller is: name, role, tenant prefixes, and whether it may edit shared documents',
        response: {
          200: {
            type: 'object',
            required: ['name', 'role', 'via', 'canCollaborate'],
            properties: {
              name: { type: 'string' },
              role: { type: 'string', enum: [...ROLES] },
              via: { type: 'string', enum: ['token', 'session', 'demo'] },
              prefixes: { type: 'array', items: { type: 'string' } },
              canCollaborate: {
                type: 'boolean',
                description:
                  'May add annotations and edit layout drafts (whoever may write layouts: engineer, admin, the local demo)',
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
        canCollaborate: mayCollaborate(request.access),
      };
    },
  );

  app.get<{ Params: { room: string } }>(
    '/api/v1/world/collab/:room',
    {
      websocket: true,
      config: { permission: 'layouts:read' },
      // A room a viewer may not create, or one past the tenant's bound, is refused before the upgrade.
      preHandler: async (request) => {
        const principal = request.principal!;
        collab.checkJoin(scopeKey(principal.prefixes), request.params.room, mayCollaborate(request.access));
      },
      schema: {
        tags,
        summary:
          'WebSocket speaking the y-websocket protocol (Yjs sync + awareness) for one room: `world` holds ' +
          'presence and annotations, `layout.{draft}` a layout draft. Readers share presence and join ' +
          'existing rooms; edits and new rooms need write (or the local demo). The server stamps names ' +
          'and roles on presence and notes. Browsers pass ?access_token=.',
        params: {
          type: 'object',
          required: ['room'],
          properties: { room: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$' } },
        },
      },
    },
    (socket, request) => {
      const principal = request.principal!;
      collab.attach(socket, {
        scope: scopeKey(principal.prefixes),
        room: request.params.room,
        canWrite: mayCollaborate(request.access),
        ...(principal.credential === undefined ? {} : { credential: principal.credential }),
        author: authorshipOf(principal),
      });
    },
  );
}
