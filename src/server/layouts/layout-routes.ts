// /api/v1/layouts: named layout versions saved from a design draft (the collaboration room
// `layout.<draft>`), compared with the plant as it is now, and sent to a what-if study.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AuthError, ConflictError } from '../../core/errors.js';
import {
  DRAFT_NAME_PATTERN,
  DRAFT_ROOM_PREFIX,
  type LayoutStudyStarted,
  type LayoutVersion,
} from '../../core/wire-layout.js';
import { applyLayoutToPlant } from '../../world/layout-apply.js';
import { compareLayout } from '../../world/layout-diff.js';
import { draftChangeCount, readDraft, resolveDraft } from '../../world/layout-draft.js';
import { loadScene } from '../../world/scene-source.js';
import type { RouteDeps } from '../route-deps.js';
import { mayCollaborate } from '../collab/collab-routes.js';
import { scopeKey } from '../collab/CollabHub.js';
import { PROBLEM_CONTENT_TYPE } from '../problem.js';
import { DEMO_PLANT_FILE } from '../studies/study-routes.js';
import { draftRoutes } from './draft-routes.js';
import { LayoutStore } from './LayoutStore.js';
import { edgeLimitsOf } from '../edge-limits.js';

const tags = ['layouts'];
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

const fields = { type: 'object', additionalProperties: { type: 'number' } } as const;
const versionObject = {
  type: 'object',
  required: ['id', 'name', 'kind', 'change', 'layout'],
  properties: {
    id: { type: 'string', description: 'Twin id, or draft:<uuid> for added equipment' },
    name: { type: 'string' },
    kind: { type: 'string' },
    change: { type: 'string', enum: ['changed', 'removed', 'added'] },
    layout: { ...fields, description: 'x, y (metres), rotation (degrees), width, depth, height (metres)' },
    before: { ...fields, description: 'Its layout in the plant when the version was saved' },
  },
} as const;
const summaryProperties = {
  id: { type: 'string' },
  name: { type: 'string' },
  draft: { type: 'string' },
  createdBy: { type: 'string' },
  createdAt: { type: 'string', format: 'date-time' },
  changes: { type: 'integer', description: 'Objects changed, added or removed' },
} as const;
const versionSchema = {
  type: 'object',
  properties: {
    ...summaryProperties,
    objects: { type: 'array', items: versionObject },
    ignored: {
      type: 'array',
      items: { type: 'string' },
      description: 'Twins the draft changed that the plant does not place (left out of the version)',
    },
  },
} as const;

interface SaveBody {
  name: string;
  draft: string;
}

interface StudyBody {
  plant?: string;
  plantFile?: string;
  name?: string;
  horizon?: string;
  warmup?: string;
  replications?: number;
  seed?: number;
}

export async function layoutRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const store = new LayoutStore(
    deps.dataDir === undefined ? ':memory:' : join(deps.dataDir, 'layouts.sqlite'),
  );
  app.addHook('onClose', async () => store.close());
  const maxVersions = edgeLimitsOf(deps.edgeLimits).layoutMaxVersions;
  await draftRoutes(app, deps);

  app.post<{ Body: SaveBody }>(
    '/api/v1/layouts/versions',
    {
      // Whoever may edit a draft may save it (writers, admins, the local demo, which exists to try design
      // mode): checked below. Versions are bounded per tenant scope; deleting one needs write.
      config: { permission: 'layouts:read' },
      schema: {
        tags,
        summary:
          'Save a named, immutable layout version from a design draft as its collaboration room holds it now ' +
          '(needs write, or the local demo). Answers 201 with the version; 409 IMV_LAYOUT_VERSIONS_FULL once ' +
          'your tenant keeps layoutMaxVersions versions.',
        body: {
          type: 'object',
          required: ['name', 'draft'],
          additionalProperties: false,
          properties: {
            name: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
              pattern: '\\S',
              description: 'Unique among your versions',
            },
            draft: {
              type: 'string',
              pattern: DRAFT_NAME_PATTERN,
              description: 'The draft (room layout.{draft}) to save',
            },
          },
        },
        response: { 201: versionSchema },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      if (!mayCollaborate(request.access)) {
        throw new AuthError('IMV_AUTH_FORBIDDEN', `Role ${principal.role} may not save layout versions`);
      }
      const { name, draft } = request.body;
      const scope = scopeKey(principal.prefixes);
      // Refused before the draft and the plant are read; save() checks again as it inserts.
      store.checkRoom(scope, maxVersions);
      const plain = readDraft(deps.collab.document(scope, `${DRAFT_ROOM_PREFIX}${draft}`));
      if (draftChangeCount(plain) === 0) {
        throw new ConflictError('IMV_LAYOUT_DRAFT_EMPTY', `Draft "${draft}" has no changes to save`, {
          path: '/draft',
        });
      }
      const scene = await loadScene(request.graph);
      const { objects, unknown } = resolveDraft(plain, scene.objects);
      if (objects.length === 0) {
        throw new ConflictError(
          'IMV_LAYOUT_DRAFT_EMPTY',
          `Draft "${draft}" changes only twins this plant does not place: ${unknown.slice(0, 5).join(', ')}`,
          { path: '/draft' },
        );
      }
      const version = store.save(
        scope,
        { name: name.trim(), draft, createdBy: principal.name, objects },
        maxVersions,
      );
      request.log.info(
        { layoutVersion: version.id, name: version.name, by: principal.name },
        'layout version saved',
      );
      reply.code(201).header('location', `/api/v1/layouts/versions/${version.id}`);
      return { ...version, ignored: unknown };
    },
  );

  app.get(
    '/api/v1/layouts/versions',
    {
      config: { permission: 'layouts:read' },
      schema: {
        tags,
        summary: 'List saved layout versions, newest first (without their objects)',
        response: {
          200: {
            type: 'object',
            properties: {
              value: { type: 'array', items: { type: 'object', properties: summaryProperties } },
            },
          },
        },
      },
    },
    async (request) => ({ value: store.list(scopeKey(request.principal!.prefixes)) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/layouts/versions/:id',
    {
      config: { permission: 'layouts:read' },
      schema: {
        tags,
        summary: 'A layout version with each object it changes, adds or removes',
        params: idParams,
        response: { 200: versionSchema },
      },
    },
    async (request) => store.get(scopeKey(request.principal!.prefixes), request.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/layouts/versions/:id',
    {
      config: { permission: 'layouts:write' },
      schema: {
        tags,
        summary:
          'Delete a layout version of your tenant (needs write; studies already started from it keep their ' +
          'results). Answers 204; 404 for a version that is not yours.',
        params: idParams,
      },
    },
    async (request, reply) => {
      store.delete(scopeKey(request.principal!.prefixes), request.params.id);
      request.log.info(
        { layoutVersion: request.params.id, by: request.principal!.name },
        'layout version deleted',
      );
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/layouts/versions/:id/compare',
    {
      config: { permission: 'layouts:read' },
      schema: {
        tags,
        summary:
          'Compare a layout version with the plant as it is now: what moves how far (metres), turns how many ' +
          'degrees, changes size, is added or removed, with totals',
        params: idParams,
      },
    },
    async (request) => {
      const version: LayoutVersion = store.get(scopeKey(request.principal!.prefixes), request.params.id);
      const scene = await loadScene(request.graph);
      return compareLayout(version, scene.objects);
    },
  );

  app.post<{ Params: { id: string }; Body: StudyBody | undefined }>(
    '/api/v1/layouts/versions/:id/study',
    {
      config: { permission: 'layouts:write' },
      schema: {
        tags,
        summary:
          'Start a what-if study of a plant file (the demo plant unless "plant" is given) with this layout ' +
          'version applied: moved equipment changes AGV travel distances. Answers 202 with the study id; ' +
          'follow /api/v1/studies/{id}.',
        params: idParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            plant: { type: 'string', maxLength: 4_000_000, description: 'Plant file text (YAML)' },
            plantFile: { type: 'string', maxLength: 200, description: 'Its name, for errors and the report' },
            name: { type: 'string', maxLength: 200, description: 'Study name (default: layout NAME)' },
            horizon: {
              type: 'string',
              maxLength: 20,
              description: 'Measured simulated time, e.g. 7d (default 30d)',
            },
            warmup: {
              type: 'string',
              maxLength: 20,
              description: 'Simulated time not measured (default 1d)',
            },
            replications: { type: 'integer', minimum: 1, maximum: 1000 },
            seed: { type: 'integer' },
          },
        },
      },
    },
    async (request, reply) => {
      const version = store.get(scopeKey(request.principal!.prefixes), request.params.id);
      const { plant, plantFile, name, ...options } = request.body ?? {};
      const file = plant === undefined ? 'examples/demo-plant.yaml' : (plantFile ?? 'plant.yaml');
      const text = plant ?? readFileSync(DEMO_PLANT_FILE, 'utf8');
      const changed = applyLayoutToPlant(text, file, version.objects);
      // Through the studies route itself, so its validation, permission and storage apply unchanged.
      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/studies',
        headers: {
          'content-type': 'application/json',
          // The caller's credentials as they came: a bearer token, or a session cookie with its CSRF proof.
          ...Object.fromEntries(
            ['authorization', 'cookie', 'origin', 'host', 'x-csrf-token'].flatMap((name) => {
              const value = request.headers[name];
              return typeof value === 'string' ? [[name, value]] : [];
            }),
          ),
        },
        remoteAddress: request.ip,
        payload: {
          name: name ?? `layout ${version.name}`,
          plant: changed.text,
          plantFile: `${file} with layout ${version.name}`,
          ...options,
        },
      });
      if (started.statusCode !== 202) {
        reply.code(started.statusCode).type(PROBLEM_CONTENT_TYPE);
        return started.body;
      }
      const study = started.json<{ id: string; status: string }>();
      request.log.info({ layoutVersion: version.id, study: study.id }, 'layout study started');
      const body: LayoutStudyStarted = {
        study: study.id,
        status: study.status,
        location: `/api/v1/studies/${study.id}`,
        report: `/api/v1/studies/${study.id}/report`,
        applied: changed.applied.length,
        notApplied: changed.notApplied,
      };
      reply.code(202).header('location', body.location);
      return body;
    },
  );
}
