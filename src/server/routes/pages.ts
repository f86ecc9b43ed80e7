// The start page: what is running, the twin tree to browse, links to the API docs.
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import type { RouteDeps } from '../app.js';

const START_PAGE = readFileSync(new URL('../public/index.html', import.meta.url), 'utf8');

export async function pageRoutes(app: FastifyInstance, { demo }: RouteDeps): Promise<void> {
  const page = START_PAGE.replace('__IMVERSE_DEMO__', demo ? 'true' : 'false');
  for (const path of ['/', '/world']) {
    app.get(path, { config: { permission: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
      return page;
    });
  }
}
