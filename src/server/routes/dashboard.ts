// Routes for the dashboard page and its KPI reads (placeholder until built).
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../app.js';

export async function dashboardRoutes(_app: FastifyInstance, _deps: RouteDeps): Promise<void> {}
