// /api/v1/live: the WebSocket stream of changes, with per-subscription filters.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import { LiveGateway } from '../live/LiveGateway.js';
import { socketSettings } from '../socket-settings.js';

export async function liveRoutes(
  app: FastifyInstance,
  { bus, metrics, refusals, sockets }: RouteDeps,
): Promise<void> {
  const gateway = new LiveGateway(bus, metrics, {
    maxSubscriptions: socketSettings(sockets).liveMaxSubscriptions,
    refusals,
  });
  app.addHook('onClose', async () => gateway.close());
  app.get(
    '/api/v1/live',
    {
      websocket: true,
      config: { permission: 'twin:read' },
      schema: {
        tags: ['live'],
        summary:
          'WebSocket. Send {"type":"subscribe","id":"s1","filter":{"twins"?,"models"?,"subtree"?,"types"?}}; ' +
          'receive {"type":"event","subscription":"s1","event":CloudEvent}. Browsers pass ?access_token=.',
      },
    },
    (socket, request) => gateway.attach(socket, request.graph, request.principal!.credential),
  );
}
