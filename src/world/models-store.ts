// Uploaded glTF assets and their bindings to twins: files under the data directory (in memory without
// one). The index of assets and bindings is one JSON file replaced atomically (write, fsync, rename), so
// a crash leaves the old index or the new one, never half of either.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ConflictError, NotFoundError } from '../core/errors.js';
import type { ModelAssetInfo, ModelBinding, ModelContentType } from '../core/wire-models.js';
import { inspectGltf } from './gltf.js';

interface Index {
  readonly models: ModelAssetInfo[];
  readonly bindings: ModelBinding[];
}

const EXTENSION: Record<ModelContentType, string> = { 'model/gltf-binary': 'glb', 'model/gltf+json': 'gltf' };

function writeAtomically(path: string, data: Uint8Array | string): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

export class WorldModelStore {
  private readonly models = new Map<string, ModelAssetInfo>();
  private readonly bindings = new Map<string, ModelBinding>();
  /** Asset bytes when there is no directory. */
  private readonly memory = new Map<string, Uint8Array>();

  /** `dir` holds the files and index.json; undefined keeps everything in memory. */
  constructor(private readonly dir?: string) {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    const indexPath = join(dir, 'index.json');
    if (!existsSync(indexPath)) return;
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as Index;
    for (const model of index.models) this.models.set(model.name, model);
    for (const binding of index.bindings) this.bindings.set(binding.target, binding);
  }

  list(): ModelAssetInfo[] {
    return [...this.models.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  info(name: string): ModelAssetInfo {
    const info = this.models.get(name);
    if (!info)
      throw new NotFoundError('IMV_WORLD_MODEL_NOT_FOUND', `No model named ${name}`, {
        path: '/params/name',
      });
    return info;
  }

  read(name: string): { info: ModelAssetInfo; bytes: Uint8Array } {
    const info = this.info(name);
    const bytes = this.dir ? readFileSync(this.fileOf(info)) : this.memory.get(name)!;
    return { info, bytes };
  }

  /** Validates and stores an asset, replacing one of the same name; returns what was stored. */
  put(name: string, bytes: Uint8Array, contentType: ModelContentType, now = new Date()): ModelAssetInfo {
    const summary = inspectGltf(bytes, contentType);
    const info: ModelAssetInfo = {
      name,
      contentType,
      bytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      uploadedAt: now.toISOString(),
      meshes: summary.meshes,
      primitives: summary.primitives,
    };
    const previous = this.models.get(name);
    if (this.dir) writeAtomically(this.fileOf(info), bytes);
    else this.memory.set(name, bytes);
    this.models.set(name, info);
    this.save();
    // A .glb replaced by a .gltf (or back) leaves the old file behind: remove it once the index no longer names it.
    if (this.dir && previous && previous.contentType !== contentType)
      rmSync(this.fileOf(previous), { force: true });
    return info;
  }

  delete(name: string): void {
    const info = this.info(name);
    const users = [...this.bindings.values()].filter((b) => b.model === name).map((b) => b.target);
    if (users.length > 0) {
      throw new ConflictError('IMV_WORLD_MODEL_IN_USE', `Model ${name} is bound to ${users.join(', ')}`, {
        path: '/params/name',
      });
    }
    this.models.delete(name);
    this.memory.delete(name);
    this.save();
    if (this.dir) rmSync(this.fileOf(info), { force: true });
  }

  listBindings(): ModelBinding[] {
    return [...this.bindings.values()].sort((a, b) => a.target.localeCompare(b.target));
  }

  bind(binding: ModelBinding): ModelBinding {
    if (!this.models.has(binding.model)) {
      throw new NotFoundError(
        'IMV_WORLD_MODEL_NOT_FOUND',
        `No model named ${binding.model}; upload it first`,
        {
          path: '/model',
        },
      );
    }
    this.bindings.set(binding.target, binding);
    this.save();
    return binding;
  }

  unbind(target: string): void {
    if (!this.bindings.delete(target)) {
      throw new NotFoundError('IMV_WORLD_MODEL_BINDING_NOT_FOUND', `No model is bound to ${target}`, {
        path: '/params/target',
      });
    }
    this.save();
  }

  private fileOf(info: ModelAssetInfo): string {
    return join(this.dir!, `${info.name}.${EXTENSION[info.contentType]}`);
  }

  private save(): void {
    if (!this.dir) return;
    const index: Index = { models: this.list(), bindings: this.listBindings() };
    writeAtomically(join(this.dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  }
}
