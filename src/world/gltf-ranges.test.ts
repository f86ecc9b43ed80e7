import { describe, expect, it } from 'vitest';
import { checkGltfRanges } from './gltf-ranges.js';

const base64 = (bytes: number) =>
  `data:application/octet-stream;base64,${Buffer.alloc(bytes).toString('base64')}`;
const codeAt = (run: () => void): [string, string] | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    const { code, path } = error as { code: string; path: string };
    return [code, path];
  }
};

describe('glTF declared sizes', () => {
  it('pads matrix columns to four bytes, as the specification does', () => {
    // MAT3 of bytes: 3 columns of 3 bytes, each padded to 4 → 12 bytes per element.
    const doc = (viewBytes: number) => ({
      buffers: [{ byteLength: 24, uri: base64(24) }],
      bufferViews: [{ buffer: 0, byteLength: viewBytes }],
      accessors: [{ bufferView: 0, componentType: 5121, count: 2, type: 'MAT3' }],
    });
    expect(codeAt(() => checkGltfRanges(doc(24), undefined))).toBeUndefined();
    expect(codeAt(() => checkGltfRanges(doc(23), undefined))).toEqual([
      'IMV_WORLD_MODEL_DATA_MISMATCH',
      '/accessors/0',
    ]);
  });

  it('checks sparse indices and values against their buffer views', () => {
    const doc = (entries: number) => ({
      buffers: [{ byteLength: 8 }],
      bufferViews: [
        { buffer: 0, byteLength: 4 },
        { buffer: 0, byteOffset: 4, byteLength: 4 },
      ],
      accessors: [
        {
          componentType: 5126,
          count: 4,
          type: 'SCALAR',
          sparse: {
            count: entries,
            indices: { bufferView: 0, componentType: 5123 },
            values: { bufferView: 1 },
          },
        },
      ],
    });
    expect(codeAt(() => checkGltfRanges(doc(1), 8))).toBeUndefined();
    expect(codeAt(() => checkGltfRanges(doc(2), 8))).toEqual([
      'IMV_WORLD_MODEL_DATA_MISMATCH',
      '/accessors/0/sparse/values',
    ]);
    expect(codeAt(() => checkGltfRanges(doc(1), 4))).toEqual([
      'IMV_WORLD_MODEL_DATA_MISMATCH',
      '/buffers/0/byteLength',
    ]);
  });

  it('names references to entries that do not exist, and sizes that are not numbers', () => {
    expect(
      codeAt(() =>
        checkGltfRanges(
          { buffers: [{ byteLength: 4, uri: base64(4) }], bufferViews: [{ buffer: 3, byteLength: 4 }] },
          undefined,
        ),
      ),
    ).toEqual(['IMV_WORLD_MODEL_INVALID', '/bufferViews/0/buffer']);
    expect(
      codeAt(() => checkGltfRanges({ buffers: [{ byteLength: '4', uri: base64(4) }] }, undefined)),
    ).toEqual(['IMV_WORLD_MODEL_INVALID', '/buffers/0/byteLength']);
  });
});
