// Routes for named layout versions, comparison and studies (placeholder until built).
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.js';

export async function layoutRoutes(_app: FastifyInstance, _deps: RouteDeps): Promise<void> {}
