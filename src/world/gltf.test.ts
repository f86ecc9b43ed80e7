import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { inspectGltf } from './gltf.js';
import { boxGlb } from './gltf-box.js';

const text = (doc: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(doc));

function reason(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('IMV_WORLD_MODEL_INVALID');
    return (error as Error).message;
  }
  throw new Error('expected the asset to be refused');
}

const triangle = {
  asset: { version: '2.0' },
  meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
  buffers: [{ byteLength: 36, uri: `data:application/octet-stream;base64,${'A'.repeat(48)}` }],
};

describe('inspectGltf', () => {
  it('accepts the hand-built box .glb and counts its primitives', () => {
    expect(inspectGltf(boxGlb(), 'model/gltf-binary')).toEqual({ meshes: 1, primitives: 2 });
  });

  it('accepts a .gltf whose buffers are embedded', () => {
    expect(inspectGltf(text(triangle), 'model/gltf+json')).toEqual({ meshes: 1, primitives: 1 });
  });

  it('refuses a truncated or foreign .glb, and version 1', () => {
    const glb = boxGlb();
    expect(reason(() => inspectGltf(glb.subarray(0, glb.length - 4), 'model/gltf-binary'))).toMatch(
      /truncated/,
    );
    expect(reason(() => inspectGltf(new Uint8Array(40), 'model/gltf-binary'))).toMatch(/"glTF"/);
    const v1 = glb.slice();
    new DataView(v1.buffer).setUint32(4, 1, true);
    expect(reason(() => inspectGltf(v1, 'model/gltf-binary'))).toMatch(/version 1/);
  });

  it('refuses glTF 1.0 JSON, external files, compression it cannot decode and empty assets', () => {
    expect(
      reason(() => inspectGltf(text({ ...triangle, asset: { version: '1.0' } }), 'model/gltf+json')),
    ).toMatch(/1\.0 is not supported/);
    expect(
      reason(() =>
        inspectGltf(text({ ...triangle, buffers: [{ byteLength: 1, uri: 'box.bin' }] }), 'model/gltf+json'),
      ),
    ).toMatch(/box\.bin/);
    expect(
      reason(() =>
        inspectGltf(
          text({ ...triangle, extensionsRequired: ['KHR_draco_mesh_compression'] }),
          'model/gltf+json',
        ),
      ),
    ).toMatch(/Draco|draco/);
    expect(reason(() => inspectGltf(text({ asset: { version: '2.0' } }), 'model/gltf+json'))).toMatch(
      /nothing to draw/,
    );
    expect(reason(() => inspectGltf(new TextEncoder().encode('{nope'), 'model/gltf+json'))).toMatch(
      /does not parse/,
    );
  });
});
