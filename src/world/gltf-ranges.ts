// The sizes a glTF asset declares, checked against the data it carries: every buffer holds the bytes it
// claims, every buffer view lies inside its buffer and every accessor inside its view. A file that
// lies would make the browser's loader read past its data, allocate what was never sent, or fail
// later for everyone who opens the world. (The Khronos glTF-Validator checks this and much more, but is
// a large Dart-compiled bundle that also reads every accessor's data; these few ranges are the part
// that matters before storing.)
import { ValidationError } from '../core/errors.js';

const COMPONENT_BYTES: Readonly<Record<number, number>> = {
  5120: 1, // BYTE
  5121: 1, // UNSIGNED_BYTE
  5122: 2, // SHORT
  5123: 2, // UNSIGNED_SHORT
  5125: 4, // UNSIGNED_INT
  5126: 4, // FLOAT
};
/** Components per element, and for matrices the rows of a column (columns start on 4-byte boundaries). */
const TYPES: Readonly<Record<string, { readonly components: number; readonly rows?: number }>> = {
  SCALAR: { components: 1 },
  VEC2: { components: 2 },
  VEC3: { components: 3 },
  VEC4: { components: 4 },
  MAT2: { components: 4, rows: 2 },
  MAT3: { components: 9, rows: 3 },
  MAT4: { components: 16, rows: 4 },
};

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function mismatch(message: string, path: string): ValidationError {
  return new ValidationError('IMV_WORLD_MODEL_DATA_MISMATCH', message, { path });
}

function invalid(message: string, path: string): ValidationError {
  return new ValidationError('IMV_WORLD_MODEL_INVALID', message, { path });
}

/** A whole number ≥ `min`, or the default when absent. */
function count(value: unknown, path: string, min: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalid(`must be a whole number ≥ ${min}`, path);
  }
  return value;
}

function list(doc: Json, key: string): Json[] {
  const value = doc[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isObject))
    throw invalid(`"${key}" must be an array of objects`, `/${key}`);
  return value;
}

function index(value: unknown, path: string, length: number, what: string): number {
  const i = count(value, path, 0);
  if (i >= length) throw invalid(`refers to ${what} ${i}, but there are ${length}`, path);
  return i;
}

/** Bytes a data: URI holds, computed from its text without decoding it. */
function dataUriBytes(uri: string, path: string): number {
  const comma = uri.indexOf(',');
  if (comma < 0) throw invalid('is not a data: URI (no ",")', path);
  const payload = uri.slice(comma + 1);
  if (!/;base64$/i.test(uri.slice(0, comma))) {
    try {
      return new TextEncoder().encode(decodeURIComponent(payload)).byteLength;
    } catch {
      throw invalid('has a malformed percent-encoded data: URI', path);
    }
  }
  const text = payload.replace(/\s+/g, '');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

function elementBytes(type: { components: number; rows?: number }, component: number): number {
  if (type.rows === undefined) return type.components * component;
  const columns = type.components / type.rows;
  return columns * Math.ceil((type.rows * component) / 4) * 4;
}

/**
 * Throws IMV_WORLD_MODEL_DATA_MISMATCH naming the first buffer, buffer view or accessor whose declared
 * size reaches past the data (IMV_WORLD_MODEL_INVALID for a size that is not a number at all).
 * `binChunkBytes` is the length of a .glb's BIN chunk, the data of its first buffer when it has no uri.
 */
export function checkGltfRanges(doc: Json, binChunkBytes: number | undefined): void {
  const buffers = list(doc, 'buffers').map((buffer, i) => {
    const path = `/buffers/${i}`;
    const declared = count(buffer.byteLength, `${path}/byteLength`, 1);
    const held =
      typeof buffer.uri === 'string' ? dataUriBytes(buffer.uri, `${path}/uri`) : (binChunkBytes ?? 0);
    if (declared > held) {
      throw mismatch(`buffer ${i} declares ${declared} bytes but carries ${held}`, `${path}/byteLength`);
    }
    return declared;
  });

  const views = list(doc, 'bufferViews').map((view, i) => {
    const path = `/bufferViews/${i}`;
    const buffer = index(view.buffer, `${path}/buffer`, buffers.length, 'buffer');
    const offset = count(view.byteOffset, `${path}/byteOffset`, 0, 0);
    const length = count(view.byteLength, `${path}/byteLength`, 1);
    if (offset + length > buffers[buffer]!) {
      throw mismatch(
        `buffer view ${i} spans bytes ${offset}–${offset + length} of buffer ${buffer}, which has ${buffers[buffer]}`,
        path,
      );
    }
    const stride =
      view.byteStride === undefined ? undefined : count(view.byteStride, `${path}/byteStride`, 4);
    return { length, stride };
  });

  list(doc, 'accessors').forEach((accessor, i) => {
    const path = `/accessors/${i}`;
    const elements = count(accessor.count, `${path}/count`, 1);
    const component = COMPONENT_BYTES[accessor.componentType as number];
    if (component === undefined) throw invalid('is not a glTF component type', `${path}/componentType`);
    const type = TYPES[accessor.type as string];
    if (type === undefined) throw invalid('is not a glTF accessor type', `${path}/type`);
    const element = elementBytes(type, component);
    if (accessor.bufferView !== undefined) {
      const v = index(accessor.bufferView, `${path}/bufferView`, views.length, 'buffer view');
      const view = views[v]!;
      const offset = count(accessor.byteOffset, `${path}/byteOffset`, 0, 0);
      const needed = offset + (view.stride ?? element) * (elements - 1) + element;
      if (needed > view.length) {
        throw mismatch(
          `accessor ${i} needs ${needed} bytes (${elements} × ${view.stride ?? element}) of buffer view ${v}, which has ${view.length}`,
          path,
        );
      }
    }
    if (isObject(accessor.sparse)) checkSparse(accessor.sparse, `${path}/sparse`, elements, element, views);
  });

  list(doc, 'images').forEach((image, i) => {
    if (image.bufferView !== undefined) {
      index(image.bufferView, `/images/${i}/bufferView`, views.length, 'buffer view');
    }
  });
}

function checkSparse(
  sparse: Json,
  path: string,
  elements: number,
  element: number,
  views: readonly { length: number }[],
): void {
  const entries = count(sparse.count, `${path}/count`, 1);
  if (entries > elements) throw mismatch(`replaces ${entries} of ${elements} elements`, `${path}/count`);
  const parts: Array<[string, number]> = [
    [
      'indices',
      COMPONENT_BYTES[(isObject(sparse.indices) ? sparse.indices.componentType : 0) as number] ?? 0,
    ],
    ['values', element],
  ];
  for (const [key, size] of parts) {
    const part = sparse[key];
    if (!isObject(part) || size === 0) throw invalid(`needs ${key} with a bufferView`, `${path}/${key}`);
    const v = index(part.bufferView, `${path}/${key}/bufferView`, views.length, 'buffer view');
    const offset = count(part.byteOffset, `${path}/${key}/byteOffset`, 0, 0);
    if (offset + entries * size > views[v]!.length) {
      throw mismatch(
        `${entries} sparse ${key} need ${offset + entries * size} bytes of buffer view ${v}, which has ${views[v]!.length}`,
        `${path}/${key}`,
      );
    }
  }
}
