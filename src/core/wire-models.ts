// Custom glTF models for the 3D world, as the server stores them and the browser draws them: an uploaded
// asset, and a binding that puts it on every twin of a DTDL model or on one twin.

/** Asset names: a letter or digit, then letters, digits, dot, dash or underscore; at most 64. */
export const MODEL_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/** The largest asset the server accepts (bytes). */
export const MAX_MODEL_BYTES = 32 * 1024 * 1024;

/** The two glTF 2.0 encodings the server takes: binary .glb, or .gltf JSON with its data embedded. */
export const MODEL_CONTENT_TYPES = ['model/gltf-binary', 'model/gltf+json'] as const;
export type ModelContentType = (typeof MODEL_CONTENT_TYPES)[number];

/** An uploaded asset (`GET /api/v1/world/models`). */
export interface ModelAssetInfo {
  readonly name: string;
  readonly contentType: ModelContentType;
  readonly bytes: number;
  /** Hex SHA-256 of the file; also its ETag. */
  readonly sha256: string;
  /** ISO time of the upload. */
  readonly uploadedAt: string;
  /** Meshes and primitives in the asset: the browser draws one instanced mesh per primitive. */
  readonly meshes: number;
  readonly primitives: number;
}

/** How an asset sits on a twin; everything but `model` is optional. */
export interface ModelBindingSpec {
  /** The asset's name. */
  readonly model: string;
  /**
   * Metres per model unit, the same on every axis. Absent: the asset is scaled, keeping its proportions,
   * to fit the twin's layout box.
   */
  readonly scale?: number;
  /** Degrees about the vertical axis, added to the twin's own rotation (to face a model the right way). */
  readonly rotation?: number;
  /** Metres in the plant frame (x east, y north, z up) from the twin's position. */
  readonly offset?: { readonly x: number; readonly y: number; readonly z: number };
}

/** A binding: `target` is a DTMI (every twin of that model) or a twin identifier (that twin only). */
export interface ModelBinding extends ModelBindingSpec {
  readonly target: string;
}

export const isModelTarget = (target: string): boolean => target.startsWith('dtmi:');

/** The binding that applies to a twin: its own wins over its model's. */
export function bindingFor(
  twin: string,
  model: string,
  bindings: ReadonlyMap<string, ModelBinding>,
): ModelBinding | undefined {
  return bindings.get(twin) ?? bindings.get(model);
}
