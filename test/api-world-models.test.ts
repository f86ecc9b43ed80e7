// The custom glTF model routes against a real platform: upload, serve with ETag, bind, permissions,
// stable codes for bad uploads, and everything still there after a restart on the same data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelAssetInfo, ModelBinding } from '../src/core/wire-models.js';
import { boxGlb } from '../src/world/gltf-box.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

const dataDir = mkdtempSync(join(tmpdir(), 'imverse-world-models-'));
let p: TestPlatform;
let reader: string;

beforeAll(async () => {
  p = await startTestPlatform({ dataDir });
  const created = await p.api('/api/v1/tokens', { method: 'POST', json: { name: 'viewer', role: 'reader' } });
  reader = ((await created.json()) as { token: string }).token;
});
afterAll(async () => {
  await p?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const upload = (name: string, body: Uint8Array | string, type = 'model/gltf-binary', token?: string) =>
  p.api(`/api/v1/world/models/${name}`, {
    method: 'PUT',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : Buffer.from(body),
    ...(token === undefined ? {} : { token }),
  });

const codeOf = async (res: Response): Promise<string> => ((await res.json()) as { code: string }).code;
const AGV = 'dtmi:imverse:AGV;1';

describe('world model routes', () => {
  it('stores a .glb, lists it and serves it with an ETag that revalidates', async () => {
    const created = await upload('agv-box', boxGlb());
    expect(created.status).toBe(201);
    const info = (await created.json()) as ModelAssetInfo;
    expect(info).toMatchObject({
      name: 'agv-box',
      contentType: 'model/gltf-binary',
      meshes: 1,
      primitives: 2,
    });
    expect((await upload('agv-box', boxGlb())).status).toBe(200);

    const list = (await (await p.api('/api/v1/world/models', { token: reader })).json()) as {
      models: ModelAssetInfo[];
    };
    expect(list.models.map((m) => m.name)).toEqual(['agv-box']);

    const served = await p.api('/api/v1/world/models/agv-box', { token: reader });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('model/gltf-binary');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(boxGlb());
    const etag = served.headers.get('etag')!;
    expect(etag).toBe(`"${info.sha256}"`);
    const again = await p.api('/api/v1/world/models/agv-box', {
      token: reader,
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('answers bad uploads with stable codes', async () => {
    expect(await codeOf(await upload('bad', 'not a model'))).toBe('IMV_WORLD_MODEL_INVALID');
    expect(
      await codeOf(await upload('bad', JSON.stringify({ asset: { version: '1.0' } }), 'model/gltf+json')),
    ).toBe('IMV_WORLD_MODEL_INVALID');
    const wrongType = await upload('bad', boxGlb(), 'application/octet-stream');
    expect(wrongType.status).toBe(415);
    expect(await codeOf(wrongType)).toBe('IMV_WORLD_MODEL_TYPE_UNSUPPORTED');
    const huge = await upload('bad', new Uint8Array(33 * 1024 * 1024));
    expect(huge.status).toBe(413);
    expect(await codeOf(huge)).toBe('IMV_WORLD_MODEL_TOO_LARGE');
    const badName = await upload('..%2Fescape', boxGlb());
    expect(badName.status).toBe(400);
    expect(await codeOf(badName)).toBe('IMV_REQUEST_INVALID');
    expect(await codeOf(await upload('by-reader', boxGlb(), 'model/gltf-binary', reader))).toBe(
      'IMV_AUTH_FORBIDDEN',
    );
    expect(await codeOf(await p.api('/api/v1/world/models/missing'))).toBe('IMV_WORLD_MODEL_NOT_FOUND');
    const list = (await (await p.api('/api/v1/world/models')).json()) as { models: ModelAssetInfo[] };
    expect(list.models.map((m) => m.name)).toEqual(['agv-box']);
  });

  it('refuses, before storing, a model whose declared sizes reach past its data', async () => {
    const floats = `data:application/octet-stream;base64,${'A'.repeat(48)}`; // 36 bytes: 3 VEC3 floats
    const triangle = {
      asset: { version: '2.0' },
      meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
      buffers: [{ byteLength: 36, uri: floats }],
      bufferViews: [{ buffer: 0, byteLength: 36 }],
      accessors: [{ bufferView: 0, componentType: 5126, count: 3, type: 'VEC3' }],
    };
    const gltf = (edit: (doc: any) => void) => {
      const doc = structuredClone(triangle) as any;
      edit(doc);
      return upload('liar', JSON.stringify(doc), 'model/gltf+json');
    };
    const refusal = async (res: Response) => {
      const problem = (await res.json()) as { code: string; path: string };
      return { status: res.status, code: problem.code, path: problem.path };
    };
    const lie = (path: string) => ({ status: 400, code: 'IMV_WORLD_MODEL_DATA_MISMATCH', path });
    expect(await refusal(await gltf((d) => (d.buffers[0].byteLength = 100_000_000)))).toEqual(
      lie('/buffers/0/byteLength'),
    );
    expect(await refusal(await gltf((d) => (d.bufferViews[0].byteOffset = 8)))).toEqual(
      lie('/bufferViews/0'),
    );
    expect(await refusal(await gltf((d) => (d.accessors[0].count = 1_000_000)))).toEqual(lie('/accessors/0'));
    expect(await refusal(await gltf((d) => (d.accessors[0].byteOffset = 4)))).toEqual(lie('/accessors/0'));
    expect(await refusal(await gltf((d) => (d.bufferViews[0].byteStride = 64)))).toEqual(lie('/accessors/0'));
    expect((await gltf(() => undefined)).status).toBe(201);
    expect((await p.api('/api/v1/world/models/liar', { method: 'DELETE' })).status).toBe(204);

    // A .glb whose buffer claims more than its BIN chunk holds.
    const glb = boxGlb();
    const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
    const jsonLength = view.getUint32(12, true);
    const doc = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength))) as any;
    // As many digits as before, so the JSON chunk keeps its length.
    doc.buffers[0].byteLength = Number('9'.repeat(String(doc.buffers[0].byteLength).length));
    const json = new TextEncoder().encode(JSON.stringify(doc).padEnd(jsonLength, ' '));
    expect(json.length).toBe(jsonLength);
    const liar = glb.slice();
    liar.set(json, 20);
    expect(await refusal(await upload('liar', liar))).toEqual(lie('/buffers/0/byteLength'));

    const list = (await (await p.api('/api/v1/world/models')).json()) as { models: ModelAssetInfo[] };
    expect(list.models.map((m) => m.name)).toEqual(['agv-box']);
  });

  it('binds models to a DTDL model and to one twin, and refuses unknown models', async () => {
    const bind = (target: string, json: unknown, token?: string) =>
      p.api(`/api/v1/world/model-bindings/${encodeURIComponent(target)}`, {
        method: 'PUT',
        json,
        ...(token === undefined ? {} : { token }),
      });
    expect((await bind(AGV, { model: 'agv-box', rotation: 90 })).status).toBe(200);
    expect(
      (await bind('88.100.1/agv-02', { model: 'agv-box', scale: 1.5, offset: { x: 0, y: 0, z: 0.1 } }))
        .status,
    ).toBe(200);
    expect(await codeOf(await bind(AGV, { model: 'nope' }))).toBe('IMV_WORLD_MODEL_NOT_FOUND');
    expect(await codeOf(await bind(AGV, { model: 'agv-box', scale: -1 }))).toBe('IMV_REQUEST_INVALID');
    expect(await codeOf(await bind('not a target', { model: 'agv-box' }))).toBe('IMV_REQUEST_INVALID');
    expect(await codeOf(await bind(AGV, { model: 'agv-box' }, reader))).toBe('IMV_AUTH_FORBIDDEN');
    expect(await codeOf(await p.api('/api/v1/world/models/agv-box', { method: 'DELETE' }))).toBe(
      'IMV_WORLD_MODEL_IN_USE',
    );
    const list = (await (await p.api('/api/v1/world/model-bindings', { token: reader })).json()) as {
      bindings: ModelBinding[];
    };
    expect(list.bindings).toEqual([
      { target: '88.100.1/agv-02', model: 'agv-box', scale: 1.5, offset: { x: 0, y: 0, z: 0.1 } },
      { target: AGV, model: 'agv-box', rotation: 90 },
    ]);
  });

  it('lets a token limited to prefixes bind only its own twins, and see only their bindings', async () => {
    const token = async (body: object): Promise<string> =>
      ((await (await p.api('/api/v1/tokens', { method: 'POST', json: body })).json()) as { token: string })
        .token;
    const acme = await token({ name: 'acme', role: 'writer', prefixes: ['88.100.1'] });
    const other = await token({ name: 'other', role: 'writer', prefixes: ['88.200.1'] });
    const bind = (target: string, as: string) =>
      p.api(`/api/v1/world/model-bindings/${encodeURIComponent(target)}`, {
        method: 'PUT',
        json: { model: 'agv-box' },
        token: as,
      });
    expect((await bind('88.100.1/agv-03', acme)).status).toBe(200);
    expect(await codeOf(await bind('88.100.1/agv-04', other))).toBe('IMV_AUTH_FORBIDDEN');
    // A DTDL model's binding and the model files reach every tenant's twins.
    expect(await codeOf(await bind(AGV, acme))).toBe('IMV_AUTH_FORBIDDEN');
    expect(await codeOf(await upload('tenant-box', boxGlb(), 'model/gltf-binary', acme))).toBe(
      'IMV_AUTH_FORBIDDEN',
    );
    const seen = (await (await p.api('/api/v1/world/model-bindings', { token: other })).json()) as {
      bindings: ModelBinding[];
    };
    expect(seen.bindings.map((b) => b.target)).toEqual([AGV]);
    expect(
      (
        await p.api(`/api/v1/world/model-bindings/${encodeURIComponent('88.100.1/agv-03')}`, {
          method: 'DELETE',
          token: acme,
        })
      ).status,
    ).toBe(204);
  });

  it('keeps models and bindings across a restart, and deletes them', async () => {
    await p.close();
    const restarted = await startTestPlatform({ dataDir });
    // The admin token is minted on the first start only: keep using it.
    const admin = p.token;
    p = { ...restarted, api: (path, init = {}) => restarted.api(path, { token: admin, ...init }) };
    const models = (await (await p.api('/api/v1/world/models')).json()) as { models: ModelAssetInfo[] };
    expect(models.models.map((m) => m.name)).toEqual(['agv-box']);
    const bindings = (await (await p.api('/api/v1/world/model-bindings')).json()) as {
      bindings: ModelBinding[];
    };
    expect(bindings.bindings.map((b) => b.target)).toEqual(['88.100.1/agv-02', AGV]);
    expect(new Uint8Array(await (await p.api('/api/v1/world/models/agv-box')).arrayBuffer())).toEqual(
      boxGlb(),
    );

    for (const target of ['88.100.1/agv-02', AGV]) {
      const res = await p.api(`/api/v1/world/model-bindings/${encodeURIComponent(target)}`, {
        method: 'DELETE',
      });
      expect(res.status).toBe(204);
    }
    expect(
      await codeOf(
        await p.api(`/api/v1/world/model-bindings/${encodeURIComponent(AGV)}`, { method: 'DELETE' }),
      ),
    ).toBe('IMV_WORLD_MODEL_BINDING_NOT_FOUND');
    expect((await p.api('/api/v1/world/models/agv-box', { method: 'DELETE' })).status).toBe(204);
    expect((await (await p.api('/api/v1/world/models')).json()) as unknown).toEqual({ models: [] });
  });
});
