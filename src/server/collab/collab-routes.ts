// Routes for the collaboration WebSocket (presence, annotations, layout drafts) (placeholder until built).
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.js';

export async function collabRoutes(_app: FastifyInstance, _deps: RouteDeps): Promise<void> {}
