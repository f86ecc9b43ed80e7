// The registry of DTDL Interfaces: validates uploads all-or-nothing and answers model queries.
import { ConflictError, NotFoundError, ValidationError, type Issue } from '../core/errors.js';
import { buildModels, type KnownModel } from './dtdl/build-models.js';
import type { ContextOptions } from './dtdl/context.js';
import type { DocumentScope } from './dtdl/element.js';
import { parseDocument, type ParsedInterface } from './dtdl/parse-interface.js';
import type { ModelInfo } from './types.js';

export type {
  CommandInfo,
  ComponentInfo,
  ModelInfo,
  PropertyInfo,
  RelationshipInfo,
  Schema,
  TelemetryInfo,
} from './types.js';

export interface ModelDocument {
  /** File name or other label, repeated in each issue. */
  readonly source?: string;
  /** The parsed JSON of the file: an Interface object or an array of them. */
  readonly content: unknown;
}

export type ModelRegistryOptions = ContextOptions;

interface Entry extends KnownModel {
  /** Every @id declared inside the Interface's document partition(s). */
  readonly elementIds: readonly string[];
}

export class ModelRegistry {
  readonly #models = new Map<string, Entry>();
  readonly #options: ModelRegistryOptions;

  constructor(options: ModelRegistryOptions = {}) {
    this.#options = options;
  }

  /**
   * Parses and validates a batch of DTDL documents; references may point within the batch or to
   * registered models. All-or-nothing. Returns the Interfaces added (inline ones included).
   */
  add(documents: ReadonlyArray<ModelDocument>): ModelInfo[] {
    const { issues, built, parsed } = this.#check(documents);
    const existing = parsed.filter((p) => this.#models.has(p.id)).map((p) => p.id);
    if (existing.length > 0) {
      throw new ConflictError(
        'IMV_MODEL_EXISTS',
        `model ${existing.map((id) => `"${id}"`).join(', ')} already exists; a model version is immutable, publish a new version instead`,
      );
    }
    if (issues.length > 0) throw invalid(issues);
    const added: ModelInfo[] = [];
    for (const p of parsed) {
      const model = built.get(p.id);
      if (model === undefined) continue;
      this.#models.set(p.id, { ...model, elementIds: p.elementIds });
      added.push(model.info);
    }
    return added;
  }

  /** A copy to try additions on (a dry run) without changing this registry; entries are shared, immutable. */
  fork(): ModelRegistry {
    const copy = new ModelRegistry(this.#options);
    for (const [id, entry] of this.#models) copy.#models.set(id, entry);
    return copy;
  }

  /** Like add() but registers nothing: returns the issues (empty when valid). */
  validate(documents: ReadonlyArray<ModelDocument>): Issue[] {
    const { issues, parsed } = this.#check(documents);
    const clash = parsed.filter((p) => this.#models.has(p.id));
    return [
      ...clash.map((p) => ({
        ...(p.file ? { file: p.file } : {}),
        path: `${p.path}/@id`,
        rule: 'model-exists',
        message: `model "${p.id}" is already registered`,
      })),
      ...issues,
    ];
  }

  get(id: string): ModelInfo | undefined {
    return this.#models.get(id)?.info;
  }

  has(id: string): boolean {
    return this.#models.has(id);
  }

  list(): ModelInfo[] {
    return [...this.#models.values()].map((e) => e.info);
  }

  /** The model itself and every model that extends it, transitively (for IS_OF_MODEL queries). */
  descendantsOf(id: string): string[] {
    if (!this.#models.has(id)) return [];
    const out = [id];
    for (const e of this.#models.values()) if (e.info.ancestors.includes(id)) out.push(e.info.id);
    return out;
  }

  /** True when `model` is `base` or extends it transitively. */
  isOfModel(model: string, base: string): boolean {
    const info = this.#models.get(model)?.info;
    return info !== undefined && (model === base || info.ancestors.includes(base));
  }

  /** Removes a model; ConflictError IMV_MODEL_IN_USE while another model extends it or uses it as a Component. */
  remove(id: string): void {
    if (!this.#models.has(id))
      throw new NotFoundError('IMV_MODEL_NOT_FOUND', `model "${id}" is not registered`);
    const users = [...this.#models.values()]
      .filter(
        (e) =>
          e.info.id !== id &&
          (e.info.extends.includes(id) || [...e.info.components.values()].some((c) => c.schema === id)),
      )
      .map((e) => e.info.id);
    if (users.length > 0) {
      throw new ConflictError(
        'IMV_MODEL_IN_USE',
        `model "${id}" is used by ${users.map((u) => `"${u}"`).join(', ')} (extends or Component); remove those first`,
      );
    }
    this.#models.delete(id);
  }

  #check(documents: ReadonlyArray<ModelDocument>): {
    issues: Issue[];
    built: Map<string, KnownModel>;
    parsed: (ParsedInterface & { elementIds: string[] })[];
  } {
    const issues: Issue[] = [];
    const ids = new Map<string, { file: string | undefined; path: string }>();
    // Registered Interface ids are not seeded: re-uploading one is a conflict (IMV_MODEL_EXISTS), reported apart.
    for (const e of this.#models.values())
      for (const id of e.elementIds)
        if (!this.#models.has(id)) ids.set(id, { file: e.info.source, path: '(registered model)' });
    const parsed: (ParsedInterface & { elementIds: string[] })[] = [];
    for (const d of documents) {
      const before = new Set(ids.keys());
      const scope: DocumentScope = { file: d.source, issues, options: this.#options, ids };
      const out = parseDocument(d.content, scope);
      const newIds = [...ids.keys()].filter((k) => !before.has(k));
      // Element ids are attributed to the top-level Interfaces of the document, for later uniqueness checks.
      out.forEach((p, i) => parsed.push(Object.assign(p, { elementIds: i === 0 ? newIds : [] })));
    }
    const fresh = parsed.filter((p) => !this.#models.has(p.id));
    const built = buildModels(fresh, (id) => this.#models.get(id), issues);
    return { issues: dedupe(issues), built, parsed };
  }
}

function invalid(issues: Issue[]): ValidationError {
  const first = issues[0];
  const where =
    first === undefined
      ? ''
      : ` (first: ${first.file ? `${first.file} ` : ''}${first.path || '/'}: ${first.message})`;
  return new ValidationError(
    'IMV_MODEL_INVALID',
    `${issues.length} problem${issues.length === 1 ? '' : 's'} in the DTDL models${where}`,
    { issues },
  );
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.file ?? ''}\u0000${i.path}\u0000${i.rule ?? ''}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
