// The JSON body parser of the API (application/json and application/json-patch+json): fastify's own
// (which refuses __proto__ and constructor.prototype keys), behind a scan that refuses nesting deeper
// than the limit before JSON.parse or any recursive validator or walker sees the body.
import type { FastifyInstance } from 'fastify';
import { ImverseError } from '../core/errors.js';
import { jsonNestingProblem } from '../core/nesting.js';

export const JSON_CONTENT_TYPES = ['application/json', 'application/json-patch+json'];

export function registerJsonBodyParser(app: FastifyInstance, maxDepth: number): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(JSON_CONTENT_TYPES, { parseAs: 'string' }, (request, body, done) => {
    const problem = jsonNestingProblem(body as string, maxDepth);
    if (problem !== undefined) {
      done(
        new ImverseError('IMV_REQUEST_JSON_TOO_DEEP', `The JSON body ${problem}`, { path: '' }),
        undefined,
      );
      return;
    }
    parse(request, body as string, done);
  });
}
