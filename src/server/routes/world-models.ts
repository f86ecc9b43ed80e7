// Routes for custom glTF models for models and twins (placeholder until built).
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.js';

export async function worldModelRoutes(_app: FastifyInstance, _deps: RouteDeps): Promise<void> {}
