// Routes for the timeline's state-at-a-time and replay reads (placeholder until built).
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.js';

export async function worldHistoryRoutes(_app: FastifyInstance, _deps: RouteDeps): Promise<void> {}
