// GET /api/v1/world/annotations reads the notes of the caller's own collaboration room, oldest first,
// leaving out malformed entries. The route runs on a bare fastify with the real CollabHub (the
// principal comes from a header here; on the platform, from its token).
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation } from '../src/core/wire-presence.js';
import type { RouteDeps } from '../src/server/route-deps.js';
import { CollabHub, scopeKey } from '../src/server/collab/CollabHub.js';
import { worldAnnotationRoutes } from '../src/server/routes/world-annotations.js';

let app: FastifyInstance;
const collab = new CollabHub();

const note = (id: string, twin: string, createdAt: number): Annotation => ({
  id,
  twin,
  text: `note ${id}`,
  author: { name: 'Ada', colour: '#4fc3f7', key: 'a1b2c3d4' },
  createdAt,
});

beforeAll(async () => {
  app = Fastify();
  app.addHook('onRequest', async (request) => {
    const prefixes = request.headers['x-prefixes'];
    request.principal = {
      name: 'test',
      role: 'viewer',
      via: 'token',
      ...(typeof prefixes === 'string' ? { prefixes: prefixes.split(',') } : {}),
    };
  });
  await app.register(worldAnnotationRoutes, { collab } as unknown as RouteDeps);
  const all = collab.document(scopeKey(undefined), 'world').getMap<unknown>('annotations');
  all.set('bbbb0002', note('bbbb0002', 'press-07', 2000));
  all.set('aaaa0001', note('aaaa0001', 'press-08', 1000));
  all.set('cccc0003', { ...note('cccc0003', 'press-07', 3000), text: 'x'.repeat(281) });
  all.set('dddd0004', 'not a note');
  collab
    .document(scopeKey(['88.200.1']), 'world')
    .getMap<unknown>('annotations')
    .set('eeee0005', note('eeee0005', 'other', 5));
});
afterAll(async () => {
  await app.close();
  collab.close();
});

const list = async (query = '', headers: Record<string, string> = {}): Promise<Annotation[]> => {
  const res = await app.inject({ url: `/api/v1/world/annotations${query}`, headers });
  expect(res.statusCode).toBe(200);
  return (res.json() as { annotations: Annotation[] }).annotations;
};

describe('GET /api/v1/world/annotations', () => {
  it('lists the valid notes oldest first and leaves malformed ones out', async () => {
    expect(await list()).toEqual([note('aaaa0001', 'press-08', 1000), note('bbbb0002', 'press-07', 2000)]);
  });

  it('narrows to one twin', async () => {
    expect((await list('?twin=press-07')).map((a) => a.id)).toEqual(['bbbb0002']);
  });

  it('shows a tenant only its own room', async () => {
    expect((await list('', { 'x-prefixes': '88.200.1' })).map((a) => a.id)).toEqual(['eeee0005']);
  });

  it('refuses an empty twin', async () => {
    expect((await app.inject({ url: '/api/v1/world/annotations?twin=' })).statusCode).toBe(400);
  });
});
