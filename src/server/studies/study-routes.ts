// /api/v1/studies: submit what-if studies, follow their progress (Server-Sent Events), read results and reports.
// A study belongs to the tenant scope of the token that submitted it; others get 404 for it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { makeEvent } from '../../core/events.js';
import { ImverseError } from '../../core/errors.js';
import { requestLocale } from '../../core/i18n.js';
import { SECURITY_EVENT_TYPES, type SecurityEventData } from '../../core/wire.js';
import { parseStudyDefinition, renderStudyReport } from '../../sim/study/index.js';
import { scopeKey } from '../collab/CollabHub.js';
import type { RouteDeps } from '../route-deps.js';
import { PLANT_MODEL_MODULE } from './load-model.js';
import { ALL_SCOPES, SqliteStudyStore, type StudyScope } from './sqlite-study-store.js';
import { StudyService, type StudyEvent } from './StudyService.js';

/** The plant a study runs when its request carries none. */
export const DEMO_PLANT_FILE = fileURLToPath(new URL('../../../examples/demo-plant.yaml', import.meta.url));

/** For tests and development: a model module (URL) to run in place of the plant simulation. */
const MODEL_MODULE_ENV = 'IMVERSE_STUDY_MODEL_MODULE';

/** A report page may show only itself: no scripts, no requests, its own inline styles. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

interface StudyBody {
  plant?: string;
  plantFile?: string;
  [field: string]: unknown;
}

export async function studyRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const store = new SqliteStudyStore(studiesFile(deps));
  const service = new StudyService(store, {
    moduleUrl: process.env[MODEL_MODULE_ENV] ?? PLANT_MODEL_MODULE,
    ...(deps.studyLimits === undefined ? {} : { limits: deps.studyLimits }),
  });
  app.addHook('onClose', () => service.close());
  const tags = ['studies'];

  // A study of another tenant is answered 404 like a missing one; the audit still learns of the attempt.
  app.addHook('preHandler', async (request: FastifyRequest<{ Params: { id?: string } }>) => {
    const id = request.params?.id;
    if (id === undefined || !request.graph.scope.restricted) return;
    if (store.get(id, visibleScope(request)) !== undefined || store.get(id) === undefined) return;
    const data: SecurityEventData = {
      actor: request.principal?.name ?? 'anonymous',
      ...(request.principal?.credential === undefined ? {} : { credential: request.principal.credential }),
      action: `${request.method} ${request.routeOptions.url ?? request.url}`,
      target: `study:${id}`,
      source: request.ip,
      result: 'refused',
      code: 'IMV_STUDY_NOT_FOUND',
    };
    await deps.bus.publish([makeEvent(SECURITY_EVENT_TYPES.accessRefused, data)]);
  });

  app.post<{ Body: StudyBody }>(
    '/api/v1/studies',
    {
      config: { permission: 'studies:execute' },
      schema: {
        tags,
        summary:
          'Start a what-if study: the plant (YAML text in "plant", or the demo plant when omitted) under a base ' +
          'scenario and named alternatives, over replications. Answers 202 with the study; follow its progress.',
        body: {
          type: 'object',
          properties: {
            name: { description: 'shown in the list and the report' },
            plant: {
              type: 'string',
              description: 'the plant file text (YAML); default: examples/demo-plant.yaml',
            },
            plantFile: {
              type: 'string',
              maxLength: 200,
              description: 'the name errors and the report use for it',
            },
            horizon: {
              description: 'measured simulated time per replication: 30d, 12h, 90m, 3600s (default 30d)',
            },
            warmup: { description: 'simulated time run first and not measured (default 1d)' },
            replications: { description: 'per scenario, 1–1000 (default 20)' },
            seed: { description: 'whole number (default 1): the same seed gives the same result' },
            base: { description: 'overrides of the base scenario' },
            scenarios: { description: 'alternatives: { NAME: overrides }, each on top of the base' },
          },
        },
      },
    },
    async (request, reply) => {
      const { plant, plantFile, ...fields } = request.body ?? {};
      const definition = parseStudyDefinition(fields);
      const model =
        plant === undefined
          ? { file: 'examples/demo-plant.yaml', text: readFileSync(DEMO_PLANT_FILE, 'utf8') }
          : { file: plantFile ?? 'plant.yaml', text: plant };
      const record = await service.submit(definition, model, ownerScope(request));
      request.log.info(
        { study: record.id, name: record.name, by: request.principal?.name },
        'study submitted',
      );
      reply.code(202).header('location', `/api/v1/studies/${record.id}`);
      return record;
    },
  );

  app.get(
    '/api/v1/studies',
    {
      config: { permission: 'studies:read' },
      schema: { tags, summary: 'List studies, newest first (without results)' },
    },
    async (request) => ({ value: service.list(visibleScope(request)), continuationToken: null }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/studies/:id',
    {
      config: { permission: 'studies:read' },
      schema: {
        tags,
        summary: 'A study: status, progress, definition and, once done, its result',
        params: idParams,
      },
    },
    async (request) => service.get(request.params.id, visibleScope(request)),
  );

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>(
    '/api/v1/studies/:id/report',
    {
      config: { permission: 'studies:read' },
      schema: {
        tags,
        summary: 'The HTML report of a finished study (self-contained, with plots)',
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            lang: { type: 'string', description: 'en or zh-CN (default: from Accept-Language)' },
          },
        },
      },
    },
    async (request, reply) => {
      const record = service.get(request.params.id, visibleScope(request));
      if (record.result === undefined) {
        throw new ImverseError(
          'IMV_STUDY_NOT_FINISHED',
          `Study ${record.id} is ${record.status}: it has no report`,
        );
      }
      // In the language the reader asks for: ?lang=zh-CN, else the browser's Accept-Language.
      const locale = requestLocale(request.query.lang, request.headers['accept-language']);
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', REPORT_CSP)
        .header('content-language', locale)
        .header('vary', 'accept-language');
      return renderStudyReport(record.result, locale);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/studies/:id/progress',
    {
      config: { permission: 'studies:read' },
      schema: {
        tags,
        summary:
          'Server-Sent Events: "progress" events (replications done per scenario) until one final event ' +
          '"done", "failed" or "cancelled"; then the stream ends',
        params: idParams,
      },
    },
    (request, reply) => {
      const scope = visibleScope(request);
      service.get(request.params.id, scope);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      });
      let ended = false;
      const send = (event: StudyEvent): void => {
        if (ended) return;
        const final = event.status === 'done' || event.status === 'failed' || event.status === 'cancelled';
        raw.write(`event: ${final ? event.status : 'progress'}\ndata: ${JSON.stringify(event)}\n\n`);
        if (final) {
          ended = true;
          raw.end();
        }
      };
      const unsubscribe = service.subscribe(request.params.id, scope, send);
      request.raw.once('close', () => {
        ended = true;
        unsubscribe();
      });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/studies/:id',
    {
      config: { permission: 'studies:write' },
      schema: { tags, summary: 'Cancel a study if it is running, and delete it', params: idParams },
    },
    async (request, reply) => {
      await service.delete(request.params.id, visibleScope(request));
      request.log.info({ study: request.params.id, by: request.principal?.name }, 'study deleted');
      reply.code(204);
    },
  );
}

/** The scope a new study belongs to: the submitter's prefixes, as collaboration rooms and layouts key them. */
function ownerScope(request: FastifyRequest): string {
  return scopeKey(request.graph.scope.prefixes);
}

/** The studies a caller may see: its own scope's, or every one for a caller limited to no prefixes. */
function visibleScope(request: FastifyRequest): StudyScope {
  return request.graph.scope.restricted ? ownerScope(request) : ALL_SCOPES;
}

/** studies.sqlite in the data directory; in memory when the app has none. */
function studiesFile(deps: RouteDeps): string {
  return deps.dataDir === undefined ? ':memory:' : join(deps.dataDir, 'studies.sqlite');
}
