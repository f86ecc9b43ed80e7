// The HTTP and WebSocket API: fastify with problem+json errors, bearer-token auth and OpenAPI.
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import websocket from '@fastify/websocket';
import { join } from 'node:path';
import { AuthError, ImverseError } from '../core/errors.js';
import type { Principal } from './auth/roles.js';
import { authorizeRequest } from './auth/authorize-request.js';
import { PolicyService } from './policies/PolicyService.js';
import { PolicyStore } from './policies/policy-store.js';
import { policyRoutes } from './policies/policy-routes.js';
import type { AppOptions } from './route-deps.js';
import type { TwinGraph } from '../twin/TwinGraph.js';
import { fromFrameworkError, PROBLEM_CONTENT_TYPE, toProblem } from './problem.js';
import { registerOpenApi } from './openapi.js';
import { registerJsonBodyParser } from './json-body.js';
import { edgeLimitsOf } from './edge-limits.js';
import { accessRefusedEvent } from './audit/access-refused.js';
import { registerSecurityHeaders } from './security-headers.js';
import { Metrics } from './metrics.js';
import { RefusalCounter } from '../core/refusals.js';
import { modelRoutes } from './routes/models.js';
import { twinRoutes } from './routes/twins.js';
import { plantRoutes } from './routes/plant.js';
import { relationshipRoutes } from './routes/relationships.js';
import { queryRoutes } from './routes/query.js';
import { resolveRoutes } from './routes/resolve.js';
import { tokenRoutes } from './routes/tokens.js';
import { healthRoutes } from './routes/health.js';
import { liveRoutes } from './routes/live.js';
import { pageRoutes } from './routes/pages.js';
import { telemetryRoutes } from './routes/telemetry.js';
import { ingestRoutes } from './routes/ingest.js';
import { configReloadRoutes } from './routes/config-reload.js';
import { deviceRoutes } from './routes/devices.js';
import { studyRoutes } from './studies/study-routes.js';
import { worldRoutes } from './routes/world.js';
import { worldHistoryRoutes } from './routes/world-history.js';
import { worldModelRoutes } from './routes/world-models.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { collabRoutes } from './collab/collab-routes.js';
import { worldAnnotationRoutes } from './routes/world-annotations.js';
import { CollabHub } from './collab/CollabHub.js';
import { CollabStore } from './collab/collab-store.js';
import { originCheck } from './origin-check.js';
import { collabLimitsOf, socketSettings } from './socket-settings.js';
import { layoutRoutes } from './layouts/layout-routes.js';
import { PeopleService } from './people/PeopleService.js';
import { peopleRoutes } from './people/people-routes.js';
import { DEFAULT_CONFIG } from '../core/config.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 4 * 1024 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    trustProxy: options.trustProxy ?? false,
    // With a certificate the same port speaks HTTPS, and the live and collaboration sockets WSS.
    ...(options.https === undefined ? {} : { https: { cert: options.https.cert, key: options.https.key } }),
    routerOptions: { maxParamLength: 1024 },
    ajv: {
      customOptions: { allErrors: false, coerceTypes: true, removeAdditional: false, allowUnionTypes: true },
    },
  });
  const metrics = new Metrics(options.graph, options.ingest.counters, options.connectors);
  const refusals = options.refusals ?? new RefusalCounter();
  metrics.registerRefusals(refusals);
  const people = new PeopleService(
    options.dataDir === undefined ? ':memory:' : join(options.dataDir, 'people.sqlite'),
    { ...DEFAULT_CONFIG, ...options.people },
    options.bus,
  );
  app.addHook('onClose', async () => people.close());
  const policies = new PolicyService(
    new PolicyStore(options.dataDir === undefined ? ':memory:' : join(options.dataDir, 'policies.sqlite')),
    options.bus,
  );
  app.addHook('onClose', async () => policies.close());

  registerSecurityHeaders(app);
  app.decorateRequest('graph', null as unknown as TwinGraph);
  registerJsonBodyParser(app, edgeLimitsOf(options.edgeLimits).jsonMaxDepth);

  app.setErrorHandler((error, request, reply) => {
    const mapped = fromFrameworkError(error as never);
    if (mapped.status >= 500) request.log.error({ err: error, reqId: request.id }, 'request failed');
    else refusals.count(request.headers.upgrade === undefined ? 'http' : 'ws', mapped.code);
    // Audit: every 401/403 at the edge is a security event; the audit log records it (src/server/audit/).
    if (mapped.status === 401 || mapped.status === 403) {
      void options.bus.publish([accessRefusedEvent(request, mapped.code)]);
    }
    // A refused WebSocket upgrade owns its socket outright: end it, or it lingers half-open.
    if (request.headers.upgrade !== undefined) reply.raw.once('finish', () => request.raw.socket.end());
    reply
      .code(mapped.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(toProblem(mapped, `/requests/${request.id}`));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new ImverseError(
      'IMV_ROUTE_NOT_FOUND',
      `No endpoint ${request.method} ${request.url.split('?')[0]}`,
    );
    refusals.count('http', error.code);
    reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(toProblem(error, `/requests/${request.id}`));
  });

  // Pages of other sites and DNS-rebound host names are refused before anything else (origin-check.ts).
  app.addHook('onRequest', originCheck({ ...socketSettings(options.sockets), demo: options.demo }));
  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission ?? 'admin';
    if (permission === 'public' || request.is404) return;
    const token = bearerToken(request);
    const principal = authenticate(token, request, options, people);
    if (principal === undefined) {
      throw new AuthError(
        'IMV_AUTH_REQUIRED',
        token === undefined
          ? 'This endpoint needs a bearer token'
          : token === ''
            ? 'The Authorization header must be "Bearer TOKEN"'
            : 'The bearer token is not valid: unknown or revoked',
      );
    }
    // Set before the check: the audit log names who was refused (the error handler reads it).
    request.principal = principal;
    authorizeRequest(request, principal, permission, policies.authorizer, options.graph);
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime,
    );
    if (reply.statusCode >= 400) {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      );
    }
  });

  // The docs page's own routes are registered by a plugin: mark them public here.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, permission: 'public' };
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await registerOpenApi(app);

  const collab = new CollabHub(
    new CollabStore(options.dataDir === undefined ? ':memory:' : join(options.dataDir, 'collab.sqlite')),
    { ...collabLimitsOf(socketSettings(options.sockets)), bus: options.bus, refusals },
  );
  app.addHook('onClose', async () => collab.close());
  metrics.registerCollab(() => collab.stats());
  const deps = { ...options, metrics, collab, refusals, people, policies };
  await app.register(healthRoutes, deps);
  await app.register(pageRoutes, deps);
  await app.register(modelRoutes, deps);
  await app.register(twinRoutes, deps);
  await app.register(plantRoutes, deps);
  await app.register(relationshipRoutes, deps);
  await app.register(queryRoutes, deps);
  await app.register(resolveRoutes, deps);
  await app.register(tokenRoutes, deps);
  await app.register(liveRoutes, deps);
  await app.register(telemetryRoutes, deps);
  await app.register(ingestRoutes, deps);
  await app.register(configReloadRoutes, deps);
  await app.register(deviceRoutes, deps);
  await app.register(studyRoutes, deps);
  await app.register(worldRoutes, deps);
  await app.register(worldHistoryRoutes, deps);
  await app.register(worldModelRoutes, deps);
  await app.register(dashboardRoutes, deps);
  await app.register(collabRoutes, deps);
  await app.register(worldAnnotationRoutes, deps);
  await app.register(layoutRoutes, deps);
  await app.register(policyRoutes, deps);
  await app.register(peopleRoutes, deps);
  return app;
}

/**
 * Who a request is: a bearer token (services, scripts, `?access_token=` on WebSockets of clients that
 * are not browsers), else a person's session cookie (the pages; refused with IMV_CSRF_REJECTED when
 * another site made the request), else, in the demo, anonymous local reading.
 */
function authenticate(
  token: string | undefined,
  request: FastifyRequest,
  options: AppOptions,
  people: PeopleService,
): Principal | undefined {
  if (token !== undefined) return token === '' ? undefined : options.tokens.authenticate(token);
  const person = people.principalOf(request);
  if (person !== undefined) return person;
  if (options.demo && LOOPBACK.has(request.ip)) {
    return { name: 'anonymous (local demo)', role: 'viewer', via: 'demo' };
  }
  return undefined;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : '';
  }
  // Browsers cannot set headers on a WebSocket: accept the token as a query parameter there.
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.access_token === 'string' ? query.access_token : undefined;
}
