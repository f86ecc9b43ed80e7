// /api/v1/plant/apply: a plant file (YAML or JSON text) made the stored plant, or its plan shown.
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors.js';
import { stripBom } from '../../core/user-text.js';
import { parsePlant } from '../../twin/plant.js';

const PLANT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'application/json'];
/** Plant files are larger than API bodies: 100,000 twins take about 15 MiB of YAML. */
export const MAX_PLANT_BYTES = 32 * 1024 * 1024;

export async function plantRoutes(app: FastifyInstance): Promise<void> {
  // The plant parser reports line and column: it reads the text itself, JSON included.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(PLANT_TYPES, { parseAs: 'string', bodyLimit: MAX_PLANT_BYTES }, (_r, body, done) =>
    done(null, body),
  );

  app.post<{ Body: unknown; Querystring: { dryRun?: boolean; prune?: boolean; file?: string } }>(
    '/api/v1/plant/apply',
    {
      bodyLimit: MAX_PLANT_BYTES,
      config: { permission: 'twin:write' },
      schema: {
        tags: ['twins'],
        summary:
          'Make the stored plant match a plant file (docs/plant-format.md): creates, updates and, with ' +
          'prune, deletes twins and relationships in one transaction. With dryRun only the plan is returned.',
        querystring: {
          type: 'object',
          properties: {
            dryRun: { type: 'boolean', description: 'return the plan; change nothing' },
            prune: {
              type: 'boolean',
              description:
                'delete stored twins under the plant prefix that the file does not name (never history)',
            },
            file: { type: 'string', maxLength: 256, description: 'a name for the text, repeated in errors' },
          },
        },
      },
    },
    async (request) => {
      if (typeof request.body !== 'string' || request.body.trim() === '') {
        throw new ValidationError(
          'IMV_REQUEST_INVALID',
          `Send the plant file as the body, with Content-Type ${PLANT_TYPES.join(', ')}`,
          { path: '' },
        );
      }
      const { dryRun = false, prune = false, file = 'plant.yaml' } = request.query;
      const plant = parsePlant(stripBom(request.body), file);
      return request.graph.applyPlant(plant, { dryRun, prune });
    },
  );
}
