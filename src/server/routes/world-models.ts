// /api/v1/world/models and /api/v1/world/model-bindings: custom glTF 2.0 assets that replace a twin's
// procedural shape in the 3D world, for every twin of a DTDL model or for one twin.
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthError, ImverseError, ValidationError } from '../../core/errors.js';
import { normalizeIdentifier } from '../../core/id.js';
import {
  MAX_MODEL_BYTES,
  MODEL_CONTENT_TYPES,
  MODEL_NAME_PATTERN,
  type ModelBinding,
  type ModelBindingSpec,
  type ModelContentType,
} from '../../core/wire-models.js';
import { WorldModelStore } from '../../world/models-store.js';
import type { RouteDeps } from '../route-deps.js';

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      pattern: MODEL_NAME_PATTERN,
      description: 'The asset name: a letter or digit, then letters, digits, ".", "-" or "_"; at most 64',
    },
  },
} as const;

const targetParams = {
  type: 'object',
  required: ['target'],
  properties: {
    target: {
      type: 'string',
      minLength: 1,
      maxLength: 512,
      // A DTMI, or a Handle-style twin identifier PREFIX/SUFFIX (URL-encode its slashes).
      pattern: '^(dtmi:[A-Za-z0-9_:]+;[0-9]+|[^/\\s]+/\\S+)$',
      description: 'A DTMI (every twin of that model) or a twin identifier (that twin only), URL-encoded',
    },
  },
} as const;

const assetInfo = {
  type: 'object',
  required: ['name', 'contentType', 'bytes', 'sha256', 'uploadedAt', 'meshes', 'primitives'],
  properties: {
    name: { type: 'string' },
    contentType: { type: 'string', enum: [...MODEL_CONTENT_TYPES] },
    bytes: { type: 'integer' },
    sha256: { type: 'string', description: 'Hex SHA-256 of the file, also its ETag' },
    uploadedAt: { type: 'string', format: 'date-time' },
    meshes: { type: 'integer' },
    primitives: {
      type: 'integer',
      description: 'Mesh primitives: the world draws one instanced mesh per primitive',
    },
  },
} as const;

const bindingSpec = {
  type: 'object',
  required: ['model'],
  additionalProperties: false,
  properties: {
    model: { type: 'string', pattern: MODEL_NAME_PATTERN, description: 'The asset name' },
    scale: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 10000,
      description: 'Metres per model unit on every axis; absent: scaled to fit the twin’s layout box',
    },
    rotation: {
      type: 'number',
      minimum: -360,
      maximum: 360,
      description: 'Degrees about the vertical, added to the twin’s rotation',
    },
    offset: {
      type: 'object',
      required: ['x', 'y', 'z'],
      additionalProperties: false,
      description: 'Metres from the twin’s position in the plant frame (x east, y north, z up)',
      properties: {
        x: { type: 'number', minimum: -1000, maximum: 1000 },
        y: { type: 'number', minimum: -1000, maximum: 1000 },
        z: { type: 'number', minimum: -1000, maximum: 1000 },
      },
    },
  },
} as const;

const binding = {
  ...bindingSpec,
  required: ['target', 'model'],
  properties: { target: { type: 'string' }, ...bindingSpec.properties },
} as const;

/** The media type of a request, without parameters, lower case. */
const mediaType = (request: FastifyRequest): string =>
  (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

function tooLarge(bytes: number): ImverseError {
  return new ImverseError(
    'IMV_WORLD_MODEL_TOO_LARGE',
    `The model is ${bytes > MAX_MODEL_BYTES ? `over ${MAX_MODEL_BYTES}` : bytes} bytes; the limit is ${MAX_MODEL_BYTES}`,
    { path: '' },
  );
}

export async function worldModelRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const store = new WorldModelStore(deps.dataDir ? join(deps.dataDir, 'world-models') : undefined);

  // Any body but JSON arrives as bytes, read here with our own size limit so an oversized model gets its
  // own code (the platform-wide limit is 4 MiB). The handler then checks the media type.
  app.addContentTypeParser('*', (request, payload, done) => {
    const declared = Number(request.headers['content-length']);
    if (declared > MAX_MODEL_BYTES) {
      payload.resume();
      done(tooLarge(declared), undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let failed = false;
    payload.on('data', (chunk: Buffer) => {
      if (failed) return;
      total += chunk.length;
      if (total > MAX_MODEL_BYTES) {
        failed = true;
        done(tooLarge(total), undefined);
        return;
      }
      chunks.push(chunk);
    });
    payload.on('end', () => {
      if (!failed) done(null, Buffer.concat(chunks));
    });
    payload.on('error', (error) => {
      if (!failed) done(error, undefined);
      failed = true;
    });
  });

  app.get(
    '/api/v1/world/models',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['world'],
        summary: 'The uploaded glTF models, by name',
        response: {
          200: {
            type: 'object',
            required: ['models'],
            properties: { models: { type: 'array', items: assetInfo } },
          },
        },
      },
    },
    async () => ({ models: store.list() }),
  );

  app.put<{ Params: { name: string } }>(
    '/api/v1/world/models/:name',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['world'],
        summary:
          'Uploads (or replaces) a glTF 2.0 model: a .glb as model/gltf-binary, or a .gltf with embedded data as model/gltf+json',
        description: `At most ${MAX_MODEL_BYTES} bytes. The file is checked (glTF 2.0, no external files, no Draco or meshopt) before it is stored.`,
        params: nameParams,
        response: { 200: assetInfo, 201: assetInfo },
      },
    },
    async (request, reply) => {
      requireAllTenants(request, 'uploaded 3D models');
      const type = mediaType(request);
      if (!(MODEL_CONTENT_TYPES as readonly string[]).includes(type) || !Buffer.isBuffer(request.body)) {
        throw new ImverseError(
          'IMV_WORLD_MODEL_TYPE_UNSUPPORTED',
          `Content-Type ${type || '(none)'} is not a glTF model type`,
          { path: '/Content-Type' },
        );
      }
      const existed = store.list().some((m) => m.name === request.params.name);
      const info = store.put(request.params.name, new Uint8Array(request.body), type as ModelContentType);
      request.log.info(
        { model: info.name, bytes: info.bytes, by: request.principal?.name },
        'world model uploaded',
      );
      return reply.code(existed ? 200 : 201).send(info);
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/world/models/:name',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['world'],
        summary: 'The model file as uploaded; its ETag is its SHA-256, so a cached copy revalidates cheaply',
        params: nameParams,
        headers: {
          type: 'object',
          properties: { 'if-none-match': { type: 'string', description: 'An ETag held: 304 if unchanged' } },
        },
      },
    },
    async (request, reply) => {
      const info = store.info(request.params.name);
      const etag = `"${info.sha256}"`;
      // Models are replaced under the same name: the browser may keep a copy but must revalidate it.
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      const held = request.headers['if-none-match'];
      if (held !== undefined && held.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
        return reply.code(304).send();
      }
      return reply.type(info.contentType).send(Buffer.from(store.read(info.name).bytes));
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/v1/world/models/:name',
    {
      config: { permission: 'assets:write' },
      schema: { tags: ['world'], summary: 'Deletes a model that no binding uses', params: nameParams },
    },
    async (request, reply) => {
      requireAllTenants(request, 'uploaded 3D models');
      store.delete(request.params.name);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/world/model-bindings',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['world'],
        summary: 'Which model each DTDL model or twin is drawn with',
        response: {
          200: {
            type: 'object',
            required: ['bindings'],
            properties: { bindings: { type: 'array', items: binding } },
          },
        },
      },
    },
    // A token limited to prefixes sees the bindings of DTDL models and of its own twins.
    async (request) => ({
      bindings: store
        .listBindings()
        .filter((b) => b.target.startsWith('dtmi:') || request.graph.scope.allows(b.target)),
    }),
  );

  app.put<{ Params: { target: string }; Body: ModelBindingSpec }>(
    '/api/v1/world/model-bindings/:target',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['world'],
        summary: 'Draws every twin of a DTDL model (target is a DTMI), or one twin, with an uploaded model',
        params: targetParams,
        body: bindingSpec,
        response: { 200: binding },
      },
    },
    async (request) => {
      if (mediaType(request) !== 'application/json') {
        throw new ValidationError('IMV_REQUEST_INVALID', 'Send the binding as application/json', {
          path: '/Content-Type',
        });
      }
      checkBindingTarget(request, request.params.target);
      const spec = request.body;
      const bound: ModelBinding = {
        target: request.params.target,
        model: spec.model,
        ...(spec.scale === undefined ? {} : { scale: spec.scale }),
        ...(spec.rotation === undefined ? {} : { rotation: spec.rotation }),
        ...(spec.offset === undefined ? {} : { offset: spec.offset }),
      };
      return store.bind(bound);
    },
  );

  app.delete<{ Params: { target: string } }>(
    '/api/v1/world/model-bindings/:target',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['world'],
        summary: 'Removes a binding: the twins show their procedural shape again',
        params: targetParams,
      },
    },
    async (request, reply) => {
      checkBindingTarget(request, request.params.target);
      store.unbind(request.params.target);
      return reply.code(204).send();
    },
  );
}

/**
 * Model files and bindings to a DTDL model reach every tenant's twins: a token limited to prefixes may
 * not change them (as it may not change DTDL models), only bind its own twins.
 */
function requireAllTenants(request: FastifyRequest, what: string): void {
  if (request.principal?.prefixes !== undefined) {
    throw new AuthError(
      'IMV_AUTH_FORBIDDEN',
      `A token limited to prefixes may not change ${what}, which every tenant shares`,
    );
  }
}

/** A binding's target is a DTMI (all tenants) or a twin, which must lie in the caller's prefixes. */
function checkBindingTarget(request: FastifyRequest, target: string): void {
  if (target.startsWith('dtmi:')) requireAllTenants(request, `the model binding of ${target}`);
  else request.graph.scope.check(normalizeIdentifier(target, '/target'), '/target');
}
