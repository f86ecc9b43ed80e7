// /api/v1/resolve/{identifier}: resolution in the shape of the Handle System's REST API
// (responseCode 1 and typed, indexed values), so Handle tooling can read our identifiers.
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../core/errors.js';
import { twinPath } from './twins.js';

const TTL_SECONDS = 86_400;

export async function resolveRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { '*': string } }>(
    '/api/v1/resolve/*',
    {
      config: { permission: 'twin:read' },
      schema: {
        tags: ['identity'],
        summary:
          'Resolve an identifier PREFIX/SUFFIX (slashes may stay unencoded) to its values, Handle REST shape',
      },
    },
    async (request) => {
      const identifier = request.params['*'];
      let twin;
      try {
        twin = await request.graph.getTwin(identifier);
      } catch (error) {
        if (error instanceof NotFoundError) {
          throw new NotFoundError(
            'IMV_TWIN_NOT_FOUND',
            `Identifier ${identifier} is not registered (Handle responseCode 100)`,
          );
        }
        throw error;
      }
      const base = `${request.protocol}://${request.host}`;
      const timestamp = twin.doc.$metadata.$lastUpdateTime;
      const value = (index: number, type: string, data: string) => ({
        index,
        type,
        data: { format: 'string', value: data },
        ttl: TTL_SECONDS,
        timestamp,
      });
      const values = [
        value(1, 'URL', `${base}/world?twin=${encodeURIComponent(twin.id)}`),
        value(2, 'IMV_TWIN', `${base}${twinPath(twin.id)}`),
        value(3, 'IMV_MODEL', twin.model),
      ];
      const name = request.graph.readableFields(twin.id, ['name']).length === 1 ? twin.doc.name : undefined;
      if (typeof name === 'string') values.push(value(4, 'NAME', name));
      return { responseCode: 1, handle: twin.id, values };
    },
  );
}
