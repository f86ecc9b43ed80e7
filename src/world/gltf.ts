// Checks an uploaded glTF 2.0 asset before it is stored: a .glb container or a .gltf JSON document with
// its buffers and images embedded as data URIs (one file is one asset: nothing refers to other files).
import { ValidationError } from '../core/errors.js';
import type { ModelContentType } from '../core/wire-models.js';
import { checkGltfRanges } from './gltf-ranges.js';

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const CHUNK_BIN = 0x004e4942; // "BIN\0"

/** Extensions the browser's GLTFLoader cannot decode without extra decoders the world page does not load. */
const UNSUPPORTED_EXTENSIONS = new Set(['KHR_draco_mesh_compression', 'EXT_meshopt_compression']);

export interface GltfSummary {
  readonly meshes: number;
  readonly primitives: number;
}

function invalid(message: string, path = ''): ValidationError {
  return new ValidationError('IMV_WORLD_MODEL_INVALID', message, { path });
}

/** Validates the asset and counts what it draws; throws IMV_WORLD_MODEL_INVALID saying what is wrong. */
export function inspectGltf(bytes: Uint8Array, contentType: ModelContentType): GltfSummary {
  if (contentType === 'model/gltf-binary') {
    const { doc, bin } = readGlb(bytes);
    return checkDocument(doc, true, bin);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('A model/gltf+json body must be UTF-8 JSON; send a .glb as model/gltf-binary');
  }
  return checkDocument(parseJson(text), false, undefined);
}

/** The JSON document and the length of the BIN chunk, if there is one. */
function readGlb(bytes: Uint8Array): { doc: unknown; bin: number | undefined } {
  if (bytes.byteLength < 20)
    throw invalid(`A .glb has a 12-byte header and a JSON chunk; got ${bytes.byteLength} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== GLB_MAGIC) throw invalid('Not a .glb file: it does not start with "glTF"');
  const version = view.getUint32(4, true);
  if (version !== 2) throw invalid(`The .glb container is version ${version}; only glTF 2.0 is supported`);
  const length = view.getUint32(8, true);
  if (length !== bytes.byteLength) {
    throw invalid(
      `The .glb header says ${length} bytes but the body has ${bytes.byteLength}: truncated upload?`,
    );
  }
  const jsonLength = view.getUint32(12, true);
  if (view.getUint32(16, true) !== CHUNK_JSON) throw invalid('The first .glb chunk must be the JSON chunk');
  if (20 + jsonLength > length) throw invalid('The .glb JSON chunk runs past the end of the file');
  let offset = 20 + jsonLength;
  let bin: number | undefined;
  while (offset < length) {
    if (offset + 8 > length) throw invalid('A .glb chunk header runs past the end of the file');
    const chunkLength = view.getUint32(offset, true);
    if (offset + 8 + chunkLength > length) throw invalid('A .glb chunk runs past the end of the file');
    // The first BIN chunk is the data of buffer 0.
    if (bin === undefined && view.getUint32(offset + 4, true) === CHUNK_BIN) bin = chunkLength;
    // BIN is the only other chunk type; unknown ones are allowed by the spec and skipped.
    offset += 8 + chunkLength;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(20, 20 + jsonLength));
  } catch {
    throw invalid('The .glb JSON chunk is not UTF-8');
  }
  return { doc: parseJson(text), bin };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(`The glTF JSON does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkDocument(doc: unknown, binary: boolean, bin: number | undefined): GltfSummary {
  if (!isObject(doc)) throw invalid('The glTF JSON must be an object');
  const asset = doc.asset;
  if (!isObject(asset) || typeof asset.version !== 'string') {
    throw invalid('glTF needs "asset": {"version": "2.0"}', '/asset/version');
  }
  if (!/^2\.\d+$/.test(asset.version)) {
    throw invalid(`glTF version ${asset.version} is not supported; export as glTF 2.0`, '/asset/version');
  }
  const required = Array.isArray(doc.extensionsRequired) ? doc.extensionsRequired : [];
  for (const [i, name] of required.entries()) {
    if (typeof name === 'string' && UNSUPPORTED_EXTENSIONS.has(name)) {
      throw invalid(
        `The asset requires ${name}, which the world does not decode; export it uncompressed`,
        `/extensionsRequired/${i}`,
      );
    }
  }
  for (const key of ['buffers', 'images'] as const) {
    const list = doc[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw invalid(`"${key}" must be an array`, `/${key}`);
    list.forEach((entry: unknown, i) => {
      const uri = isObject(entry) ? entry.uri : undefined;
      // In a .glb the first buffer may have no uri: it is the BIN chunk. An image may sit in a bufferView.
      if (uri === undefined && (key === 'images' || (binary && i === 0))) return;
      if (typeof uri !== 'string' || !uri.startsWith('data:')) {
        throw invalid(
          `${key}[${i}] refers to ${typeof uri === 'string' ? `"${uri.slice(0, 80)}"` : 'no data'}: embed it as a data: URI or upload a .glb`,
          `/${key}/${i}/uri`,
        );
      }
    });
  }
  checkGltfRanges(doc, bin);
  const meshes = Array.isArray(doc.meshes) ? doc.meshes : [];
  let primitives = 0;
  for (const mesh of meshes)
    if (isObject(mesh) && Array.isArray(mesh.primitives)) primitives += mesh.primitives.length;
  if (primitives === 0)
    throw invalid('The asset has no mesh primitives: there is nothing to draw', '/meshes');
  return { meshes: meshes.length, primitives };
}
