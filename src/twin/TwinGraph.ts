// The twin graph service: validates every change against the models, writes it through the
// store port and publishes what changed on the bus. Pure domain: no I/O of its own.
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  type Issue,
} from '../core/errors.js';
import { makeEvent } from '../core/events.js';
import { identifierProblem, normalizeIdentifier } from '../core/id.js';
import {
  EVENT_TYPES,
  type ImverseEvent,
  type Page,
  type RelationshipDoc,
  type TwinDoc,
} from '../core/wire.js';
import type { EventBus } from '../bus/bus.js';
import type { ModelInfo, ModelRegistry } from '../model/registry.js';
import { validateRelationshipProperties, validateTwinContent } from '../model/validate-value.js';
import { contentOf, etagOf, versionFromEtag } from './doc.js';
import { applyPatch, checkPatch, type PatchOperation } from './patch.js';
import { compileQuery, parseQuery } from './query/index.js';
import { TenantScope } from './TenantScope.js';
import { decodeContinuation, encodeContinuation } from './paging.js';
import type {
  NewRelationship,
  StoredModel,
  StoredTwin,
  TraversedTwin,
  TwinDraft,
  TwinStore,
} from './store.js';

export interface TwinGraphOptions {
  readonly now?: () => Date;
  /** The tenants (identifier prefixes) this view of the graph may touch; all when absent. */
  readonly scope?: TenantScope;
  /** Models that ship with the platform: always present, never deleted. */
  readonly builtInModels?: ReadonlySet<string>;
}

export interface Preconditions {
  /** The If-Match header: an ETag, or `*`. */
  readonly ifMatch?: string;
  /** The If-None-Match header: `*` means "create only". */
  readonly ifNoneMatch?: string;
}

export interface PageRequest {
  readonly pageSize?: number;
  readonly continuationToken?: string;
}

export interface ImportInput {
  readonly twins: ReadonlyArray<{ id: string; model: string; properties: Record<string, unknown> }>;
  readonly relationships: ReadonlyArray<NewRelationship>;
}

export const DEFAULT_PAGE_SIZE = 100;
/** Continuation keys of queries start with this; listings use their own. */
const QUERY_KEY = 'q:';
export const MAX_PAGE_SIZE = 1000;
const MAX_ISSUES = 100;

export class TwinGraph {
  private readonly now: () => Date;
  private readonly builtIn: ReadonlySet<string>;
  readonly scope: TenantScope;

  constructor(
    readonly store: TwinStore,
    readonly models: ModelRegistry,
    private readonly bus: EventBus,
    options: TwinGraphOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.builtIn = options.builtInModels ?? new Set();
    this.scope = options.scope ?? TenantScope.UNRESTRICTED;
  }

  /** The same graph as seen by a caller limited to some prefixes (tenants). */
  withScope(prefixes: readonly string[] | undefined): TwinGraph {
    if (prefixes === undefined && !this.scope.restricted) return this;
    return new TwinGraph(this.store, this.models, this.bus, {
      now: this.now,
      builtInModels: this.builtIn,
      scope: new TenantScope(prefixes),
    });
  }

  /** Registers the models the store holds (after the built-in ones the registry was given). */
  async loadStoredModels(): Promise<number> {
    const stored = await this.store.listModels();
    const missing = stored.filter((model) => !this.models.has(model.id));
    if (missing.length > 0) {
      this.models.add(missing.map((model) => ({ source: `stored:${model.id}`, content: model.document })));
    }
    return stored.length;
  }

  // ---- Models

  async addModels(documents: ReadonlyArray<{ source?: string; content: unknown }>): Promise<ModelInfo[]> {
    const added = this.models.add(documents);
    const uploadTime = this.now().toISOString();
    const stored: StoredModel[] = added.map((model) => ({
      id: model.id,
      document: model.document,
      uploadTime,
    }));
    try {
      await this.store.insertModels(stored);
    } catch (error) {
      for (const model of [...added].reverse()) this.models.remove(model.id);
      throw error;
    }
    await this.publish(added.map((model) => makeEvent(EVENT_TYPES.modelCreated, { id: model.id })));
    return added;
  }

  getModel(id: string): ModelInfo {
    const model = this.models.get(id);
    if (model === undefined) throw new NotFoundError('IMV_MODEL_NOT_FOUND', `Model ${id} not found`);
    return model;
  }

  async deleteModel(id: string): Promise<void> {
    this.getModel(id);
    if (this.builtIn.has(id)) {
      throw new ConflictError('IMV_MODEL_IN_USE', `Model ${id} is built in and cannot be deleted`);
    }
    const twins = await this.store.countTwinsOfModels([id]);
    if (twins > 0) {
      throw new ConflictError('IMV_MODEL_IN_USE', `Model ${id} is the model of ${twins} twin(s)`);
    }
    this.models.remove(id);
    await this.store.deleteModel(id);
    await this.publish([makeEvent(EVENT_TYPES.modelDeleted, { id })]);
  }

  // ---- Twins

  async getTwin(id: string): Promise<StoredTwin> {
    const key = normalizeIdentifier(id, '/$dtId');
    this.scope.check(key, '/$dtId');
    const twin = await this.store.getTwin(key);
    if (twin === undefined) throw new NotFoundError('IMV_TWIN_NOT_FOUND', `Twin ${key} not found`);
    return twin;
  }

  /** A twin's stored JSON and ETag, without parsing it: the hot path of twin reads. */
  async getTwinJson(id: string): Promise<{ etag: string; json: string }> {
    const key = normalizeIdentifier(id, '/$dtId');
    this.scope.check(key, '/$dtId');
    const twin = await this.store.getTwinJson(key);
    if (twin === undefined) throw new NotFoundError('IMV_TWIN_NOT_FOUND', `Twin ${key} not found`);
    return { etag: etagOf(twin.version), json: twin.json };
  }

  /** Creates the twin, or replaces it when it exists (PUT semantics; If-None-Match: * forbids replacing). */
  async putTwin(id: string, body: unknown, preconditions: Preconditions = {}): Promise<StoredTwin> {
    const key = normalizeIdentifier(id, '/$dtId');
    this.scope.check(key, '/$dtId');
    const draft = this.draftTwin(key, body);
    const existing = await this.store.getTwin(key);
    if (existing === undefined) {
      if (preconditions.ifMatch !== undefined && preconditions.ifMatch !== '*') {
        throw new NotFoundError('IMV_TWIN_NOT_FOUND', `Twin ${key} not found`);
      }
      const created = await this.store.insertTwin(draft);
      await this.publish([twinEvent(EVENT_TYPES.twinCreated, created.doc, created.doc)]);
      return created;
    }
    if (preconditions.ifNoneMatch === '*') {
      throw new ConflictError('IMV_TWIN_EXISTS', `Twin ${key} already exists`, { path: '/$dtId' });
    }
    const expected = expectedVersion(preconditions.ifMatch, existing.version);
    const replaced = await this.store.replaceTwin(draft, expected);
    await this.publish([twinEvent(EVENT_TYPES.twinUpdated, replaced.doc, { twin: replaced.doc, patch: [] })]);
    return replaced;
  }

  async patchTwin(id: string, patch: unknown, preconditions: Preconditions = {}): Promise<StoredTwin> {
    const operations = checkPatch(patch, true);
    const current = await this.getTwin(id);
    const expected = expectedVersion(preconditions.ifMatch, current.version);
    // A stale version is the first thing to report: re-reading is the fix whatever else is wrong.
    if (expected !== current.version) throw versionMismatch(current.id, current.version, expected);
    const patched = applyPatch(withMetadataSlots(current.doc, operations), operations);
    const content = contentOf(patched);
    throwIfIssues('IMV_TWIN_INVALID', validateTwinContent(this.models, current.model, content), current.id);
    const draft = this.restamp(current.doc, patched, content);
    const updated = await this.store.replaceTwin(draft, expected);
    await this.publish([
      twinEvent(EVENT_TYPES.twinUpdated, updated.doc, { twin: updated.doc, patch: operations }),
    ]);
    return updated;
  }

  async deleteTwin(id: string, preconditions: Preconditions = {}): Promise<void> {
    const current = await this.getTwin(id);
    const expected =
      preconditions.ifMatch === undefined
        ? undefined
        : expectedVersion(preconditions.ifMatch, current.version);
    const relationships = await this.store.deleteTwin(current.id, expected);
    await this.publish([
      ...relationships.map((rel) =>
        relationshipEvent(
          EVENT_TYPES.relationshipDeleted,
          rel,
          rel.$sourceId === current.id ? current.model : undefined,
        ),
      ),
      twinEvent(EVENT_TYPES.twinDeleted, current.doc, current.doc),
    ]);
  }

  /** Builds the stored form of a new twin from an API body: validates model and content. */
  private draftTwin(key: string, body: unknown): TwinDraft {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationError('IMV_REQUEST_INVALID', 'A twin must be a JSON object', { path: '' });
    }
    const record = body as Record<string, unknown>;
    if (
      record.$dtId !== undefined &&
      (typeof record.$dtId !== 'string' || normalizeIdentifier(record.$dtId, '/$dtId') !== key)
    ) {
      throw new ValidationError(
        'IMV_REQUEST_INVALID',
        `$dtId in the body differs from the identifier ${key} in the URL`,
        {
          path: '/$dtId',
        },
      );
    }
    const metadata = record.$metadata as Record<string, unknown> | undefined;
    const model = metadata?.$model;
    if (typeof model !== 'string') {
      throw new ValidationError('IMV_REQUEST_INVALID', 'A twin needs "$metadata": { "$model": "dtmi:…" }', {
        path: '/$metadata/$model',
      });
    }
    return this.buildDraft(key, model, contentOf(record), metadata, '');
  }

  private buildDraft(
    key: string,
    model: string,
    content: Record<string, unknown>,
    metadata: Record<string, unknown> | undefined,
    at: string,
  ): TwinDraft {
    if (!this.models.has(model)) {
      throw new ValidationError('IMV_MODEL_UNKNOWN', `Model ${model} is not known`, {
        path: `${at}/$metadata/$model`,
      });
    }
    throwIfIssues('IMV_TWIN_INVALID', validateTwinContent(this.models, model, content), key, at);
    const time = this.now().toISOString();
    const fieldMetadata: Record<string, { lastUpdateTime: string; sourceTime?: string }> = {};
    for (const field of Object.keys(content)) {
      const given = metadata?.[field] as { sourceTime?: unknown } | undefined;
      fieldMetadata[field] =
        typeof given?.sourceTime === 'string'
          ? { lastUpdateTime: time, sourceTime: given.sourceTime }
          : { lastUpdateTime: time };
    }
    return { $dtId: key, $metadata: { $model: model, $lastUpdateTime: time, ...fieldMetadata }, ...content };
  }

  /** Carries metadata over a patch: changed fields get a new lastUpdateTime, removed ones lose theirs. */
  private restamp(before: TwinDoc, after: TwinDoc, content: Record<string, unknown>): TwinDraft {
    const time = this.now().toISOString();
    const metadata: TwinDoc['$metadata'] = { ...after.$metadata, $lastUpdateTime: time };
    for (const field of Object.keys(metadata)) {
      if (!field.startsWith('$') && !(field in content)) delete metadata[field];
    }
    for (const field of Object.keys(content)) {
      const previous = before.$metadata[field];
      const patchedMeta = after.$metadata[field];
      const changed = JSON.stringify(before[field]) !== JSON.stringify(after[field]);
      const sourceTimeChanged = JSON.stringify(previous) !== JSON.stringify(patchedMeta);
      if (changed || sourceTimeChanged || previous === undefined) {
        const sourceTime = typeof patchedMeta === 'object' ? patchedMeta.sourceTime : undefined;
        metadata[field] =
          sourceTime === undefined || (changed && !sourceTimeChanged)
            ? { lastUpdateTime: time }
            : { lastUpdateTime: time, sourceTime };
      }
    }
    const { $etag: _etag, ...rest } = after;
    return { ...rest, $metadata: metadata } as TwinDraft;
  }

  // ---- Relationships

  async getRelationship(source: string, relationshipId: string): Promise<RelationshipDoc> {
    const twin = await this.getTwin(source);
    const stored = await this.store.getRelationship(twin.id, relationshipId);
    if (stored === undefined) {
      throw new NotFoundError(
        'IMV_RELATIONSHIP_NOT_FOUND',
        `Twin ${twin.id} has no relationship ${relationshipId}`,
      );
    }
    return stored.doc;
  }

  async putRelationship(
    source: string,
    relationshipId: string,
    body: unknown,
    preconditions: Preconditions = {},
  ): Promise<RelationshipDoc> {
    const twin = await this.getTwin(source);
    checkRelationshipId(relationshipId);
    const fields = this.checkRelationship(twin, relationshipId, body);
    const target = await this.store.getTwin(fields.target);
    if (target === undefined) {
      throw new ValidationError(
        'IMV_RELATIONSHIP_TARGET_MISSING',
        `Target twin ${fields.target} does not exist`,
        {
          path: '/$targetId',
        },
      );
    }
    this.checkTarget(twin, fields.name, target);
    const existing = await this.store.getRelationship(twin.id, relationshipId);
    if (existing === undefined) {
      if (preconditions.ifMatch !== undefined && preconditions.ifMatch !== '*') {
        throw new NotFoundError(
          'IMV_RELATIONSHIP_NOT_FOUND',
          `Twin ${twin.id} has no relationship ${relationshipId}`,
        );
      }
      await this.checkMultiplicity(twin, fields.name);
      const created = await this.store.insertRelationship(fields);
      await this.publish([relationshipEvent(EVENT_TYPES.relationshipCreated, created.doc, twin.model)]);
      return created.doc;
    }
    if (preconditions.ifNoneMatch === '*') {
      throw new ConflictError(
        'IMV_RELATIONSHIP_EXISTS',
        `Twin ${twin.id} already has a relationship ${relationshipId}`,
        {
          path: '/$relationshipId',
        },
      );
    }
    if (existing.doc.$targetId !== fields.target || existing.doc.$relationshipName !== fields.name) {
      throw new ValidationError(
        'IMV_RELATIONSHIP_INVALID',
        'A relationship keeps its name and target; delete and recreate it',
        {
          path: '/$targetId',
        },
      );
    }
    const expected = expectedVersion(preconditions.ifMatch, existing.version);
    const replaced = await this.store.replaceRelationship(
      { ...pickSystem(existing.doc), ...fields.properties } as RelationshipDoc,
      expected,
    );
    await this.publish([relationshipEvent(EVENT_TYPES.relationshipUpdated, replaced.doc, twin.model)]);
    return replaced.doc;
  }

  async patchRelationship(
    source: string,
    relationshipId: string,
    patch: unknown,
    preconditions: Preconditions = {},
  ): Promise<RelationshipDoc> {
    const operations = checkPatch(patch, false);
    const twin = await this.getTwin(source);
    const existing = await this.store.getRelationship(twin.id, relationshipId);
    if (existing === undefined) {
      throw new NotFoundError(
        'IMV_RELATIONSHIP_NOT_FOUND',
        `Twin ${twin.id} has no relationship ${relationshipId}`,
      );
    }
    const expected = expectedVersion(preconditions.ifMatch, existing.version);
    if (expected !== existing.version) throw versionMismatch(relationshipId, existing.version, expected);
    const patched = applyPatch(existing.doc, operations);
    const declared = this.models.get(twin.model)?.relationships.get(existing.doc.$relationshipName);
    if (declared !== undefined) {
      throwIfIssues(
        'IMV_RELATIONSHIP_INVALID',
        validateRelationshipProperties(declared, contentOf(patched)),
        relationshipId,
      );
    }
    const replaced = await this.store.replaceRelationship(patched, expected);
    await this.publish([relationshipEvent(EVENT_TYPES.relationshipUpdated, replaced.doc, twin.model)]);
    return replaced.doc;
  }

  async deleteRelationship(
    source: string,
    relationshipId: string,
    preconditions: Preconditions = {},
  ): Promise<void> {
    const twin = await this.getTwin(source);
    const existing = await this.store.getRelationship(twin.id, relationshipId);
    if (existing === undefined) {
      throw new NotFoundError(
        'IMV_RELATIONSHIP_NOT_FOUND',
        `Twin ${twin.id} has no relationship ${relationshipId}`,
      );
    }
    const expected =
      preconditions.ifMatch === undefined
        ? undefined
        : expectedVersion(preconditions.ifMatch, existing.version);
    const removed = await this.store.deleteRelationship(twin.id, relationshipId, expected);
    await this.publish([relationshipEvent(EVENT_TYPES.relationshipDeleted, removed, twin.model)]);
  }

  async listRelationships(
    twinId: string,
    options: { direction: 'out' | 'in'; name?: string } & PageRequest,
  ): Promise<Page<RelationshipDoc>> {
    const twin = await this.getTwin(twinId);
    const { offset, pageSize } = this.pageOf(
      options,
      `rel:${options.direction}:${twin.id}:${options.name ?? ''}`,
    );
    const rows = await this.store.listRelationships(twin.id, {
      direction: options.direction,
      ...(options.name === undefined ? {} : { name: options.name }),
      offset,
      limit: pageSize + 1,
    });
    const page = this.page(
      rows,
      offset,
      pageSize,
      `rel:${options.direction}:${twin.id}:${options.name ?? ''}`,
    );
    if (!this.scope.restricted) return page;
    const otherEnd = (rel: RelationshipDoc) => (options.direction === 'out' ? rel.$targetId : rel.$sourceId);
    return { ...page, value: page.value.filter((rel) => this.scope.allows(otherEnd(rel))) };
  }

  private checkRelationship(twin: StoredTwin, relationshipId: string, body: unknown): NewRelationship {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationError('IMV_REQUEST_INVALID', 'A relationship must be a JSON object', { path: '' });
    }
    const record = body as Record<string, unknown>;
    const name = record.$relationshipName;
    if (typeof name !== 'string' || name.length === 0) {
      throw new ValidationError('IMV_REQUEST_INVALID', 'A relationship needs "$relationshipName"', {
        path: '/$relationshipName',
      });
    }
    if (typeof record.$targetId !== 'string') {
      throw new ValidationError('IMV_REQUEST_INVALID', 'A relationship needs "$targetId"', {
        path: '/$targetId',
      });
    }
    const target = normalizeIdentifier(record.$targetId, '/$targetId');
    this.scope.check(target, '/$targetId');
    const declared = this.models.get(twin.model)?.relationships.get(name);
    if (declared === undefined) {
      throw new ValidationError(
        'IMV_RELATIONSHIP_INVALID',
        `Model ${twin.model} of twin ${twin.id} declares no relationship "${name}"`,
        { path: '/$relationshipName' },
      );
    }
    const properties = contentOf(record);
    throwIfIssues(
      'IMV_RELATIONSHIP_INVALID',
      validateRelationshipProperties(declared, properties),
      relationshipId,
    );
    return { id: relationshipId, source: twin.id, name, target, properties };
  }

  private checkTarget(source: StoredTwin, name: string, target: StoredTwin): void {
    const required = this.models.get(source.model)?.relationships.get(name)?.target;
    if (required !== undefined && !this.models.isOfModel(target.model, required)) {
      throw new ValidationError(
        'IMV_RELATIONSHIP_INVALID',
        `Relationship "${name}" must target a ${required}; ${target.id} is a ${target.model}`,
        { path: '/$targetId' },
      );
    }
  }

  private async checkMultiplicity(twin: StoredTwin, name: string): Promise<void> {
    const max = this.models.get(twin.model)?.relationships.get(name)?.maxMultiplicity;
    if (max === undefined) return;
    const existing = await this.store.listRelationships(twin.id, {
      direction: 'out',
      name,
      offset: 0,
      limit: max,
    });
    if (existing.length >= max) {
      throw new ValidationError(
        'IMV_RELATIONSHIP_INVALID',
        `Twin ${twin.id} already has the maximum of ${max} "${name}" relationship(s)`,
        { path: '/$relationshipName' },
      );
    }
  }

  // ---- Queries

  async query(text: string | undefined, request: PageRequest = {}): Promise<Page<unknown>> {
    const continuation =
      request.continuationToken === undefined ? undefined : decodeContinuation(request.continuationToken);
    if (continuation !== undefined && !continuation.key.startsWith(QUERY_KEY)) {
      throw new ValidationError(
        'IMV_CONTINUATION_INVALID',
        'The continuation token belongs to another listing',
        {
          path: '/continuationToken',
        },
      );
    }
    const queryText = continuation === undefined ? text : continuation.key.slice(QUERY_KEY.length);
    if (typeof queryText !== 'string' || queryText.trim() === '') {
      throw new ValidationError('IMV_REQUEST_INVALID', 'Give a "query" (or a continuationToken)', {
        path: '/query',
      });
    }
    const offset = continuation?.offset ?? 0;
    const pageSize = clampPageSize(request.pageSize ?? continuation?.pageSize);
    const context = {
      descendantsOf: (model: string) => this.models.descendantsOf(model),
      ...(this.scope.prefixes === undefined ? {} : { prefixes: this.scope.prefixes }),
    };
    const compiled = compileQuery(parseQuery(queryText), context, { offset, limit: pageSize + 1 });
    if (compiled.kind === 'count') {
      const { items } = await this.store.query(compiled, 1);
      return { value: items, continuationToken: null };
    }
    const remaining = compiled.top === undefined ? pageSize : Math.min(pageSize, compiled.top - offset);
    const { items, more } = await this.store.query(compiled, Math.max(0, remaining));
    const next = more && (compiled.top === undefined || offset + items.length < compiled.top);
    return {
      value: items,
      continuationToken: next
        ? encodeContinuation({ key: `${QUERY_KEY}${queryText}`, offset: offset + items.length, pageSize })
        : null,
    };
  }

  /** Lists twins, optionally only those of a model (following `extends`). */
  async listTwins(options: { model?: string } & PageRequest = {}): Promise<Page<unknown>> {
    if (options.continuationToken !== undefined) return this.query(undefined, options);
    if (options.model !== undefined) this.getModel(options.model);
    const text =
      options.model === undefined
        ? 'SELECT * FROM DIGITALTWINS'
        : `SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('${options.model.replaceAll("'", "\\'")}')`;
    return this.query(text, options);
  }

  /** Twins reachable from `id` over `relationship` (out: what it contains; in: what is upstream). */
  async traverse(
    id: string,
    options: { relationship: string; direction: 'out' | 'in'; maxDepth?: number; limit?: number },
  ): Promise<TraversedTwin[]> {
    const twin = await this.getTwin(id);
    const reached = await this.store.traverse(twin.id, {
      relationship: options.relationship,
      direction: options.direction,
      maxDepth: Math.min(Math.max(options.maxDepth ?? 10, 1), 50),
      limit: Math.min(Math.max(options.limit ?? 10_000, 1), 100_000),
    });
    return this.scope.restricted ? reached.filter((entry) => this.scope.allows(entry.twin.$dtId)) : reached;
  }

  // ---- Bulk import

  /** Validates a whole plant, then writes it in one transaction: all of it or nothing. */
  async importTwins(
    input: ImportInput,
    onProgress?: (progress: { twins: number; relationships: number }) => void,
  ): Promise<{ twins: number; relationships: number }> {
    const time = this.now().toISOString();
    const issues: Issue[] = [];
    /** Model of each twin the batch creates or refers to, by normalised identifier. */
    const modelOf = new Map<string, string>();
    const canonical = new Map<string, string>();
    const normal = (id: string, path: string): string | undefined => {
      const known = canonical.get(id);
      if (known !== undefined) return known;
      const problem = identifierProblem(id);
      if (problem !== undefined) {
        issues.push({ path, message: `Malformed identifier "${id}": ${problem}`, rule: 'IMV_ID_MALFORMED' });
        return undefined;
      }
      const normalized = normalizeIdentifier(id);
      if (!this.scope.allows(normalized)) {
        issues.push({
          path,
          message: `${normalized} is outside the prefixes this token may use`,
          rule: 'IMV_AUTH_FORBIDDEN',
        });
        return undefined;
      }
      canonical.set(id, normalized);
      return normalized;
    };

    const drafts: TwinDraft[] = [];
    for (let index = 0; index < input.twins.length && issues.length < MAX_ISSUES; index++) {
      const seed = input.twins[index]!;
      const at = `/twins/${index}`;
      const id = normal(seed.id, `${at}/id`);
      if (id === undefined) continue;
      if (!this.models.has(seed.model)) {
        issues.push({
          path: `${at}/model`,
          message: `Model ${seed.model} is not known`,
          rule: 'IMV_MODEL_UNKNOWN',
        });
        continue;
      }
      for (const issue of validateTwinContent(this.models, seed.model, seed.properties)) {
        issues.push({ ...issue, path: `${at}/properties${issue.path}` });
      }
      modelOf.set(id, seed.model);
      const metadata: TwinDraft['$metadata'] = { $model: seed.model, $lastUpdateTime: time };
      for (const field in seed.properties) metadata[field] = { lastUpdateTime: time };
      drafts.push({ $dtId: id, $metadata: metadata, ...seed.properties });
    }

    const relationships: NewRelationship[] = [];
    const drafted = new Set(modelOf.keys());
    /** Relationships per source and name, for maxMultiplicity. */
    const outgoing = new Map<string, number>();
    for (let index = 0; index < input.relationships.length && issues.length < MAX_ISSUES; index++) {
      const given = input.relationships[index]!;
      const at = `/relationships/${index}`;
      const source = normal(given.source, `${at}/source`);
      const target = normal(given.target, `${at}/target`);
      if (source === undefined || target === undefined) continue;
      const rel: NewRelationship = { ...given, source, target };
      relationships.push(rel);
      const sourceModel = modelOf.get(source) ?? (await this.storedModelOf(source, modelOf));
      const targetModel = modelOf.get(target) ?? (await this.storedModelOf(target, modelOf));
      if (sourceModel === undefined || targetModel === undefined) {
        const missing = sourceModel === undefined ? source : target;
        issues.push({
          path: `${at}/${sourceModel === undefined ? 'source' : 'target'}`,
          message: `Twin ${missing} is neither in the batch nor stored`,
          rule: 'IMV_RELATIONSHIP_TARGET_MISSING',
        });
        continue;
      }
      const declared = this.models.get(sourceModel)?.relationships.get(rel.name);
      if (declared === undefined) {
        issues.push({
          path: `${at}/name`,
          message: `Model ${sourceModel} declares no relationship "${rel.name}"`,
          rule: 'IMV_RELATIONSHIP_INVALID',
        });
        continue;
      }
      if (declared.maxMultiplicity !== undefined) {
        const key = `${source}\n${rel.name}`;
        const count =
          (outgoing.get(key) ??
            (drafted.has(source)
              ? 0
              : await this.countOutgoing(source, rel.name, declared.maxMultiplicity))) + 1;
        outgoing.set(key, count);
        if (count > declared.maxMultiplicity) {
          issues.push({
            path: `${at}/name`,
            message: `Twin ${source} may have at most ${declared.maxMultiplicity} "${rel.name}" relationship(s)`,
            rule: 'IMV_RELATIONSHIP_INVALID',
          });
        }
      }
      if (declared.target !== undefined && !this.models.isOfModel(targetModel, declared.target)) {
        issues.push({
          path: `${at}/target`,
          message: `"${rel.name}" must target a ${declared.target}; ${target} is a ${targetModel}`,
          rule: 'IMV_RELATIONSHIP_INVALID',
        });
      }
      for (const issue of validateRelationshipProperties(declared, rel.properties)) {
        issues.push({ ...issue, path: `${at}/properties${issue.path}` });
      }
    }
    if (issues.length > 0) {
      throw new ValidationError(
        'IMV_IMPORT_INVALID',
        `The plant has ${issues.length}${issues.length >= MAX_ISSUES ? '+' : ''} problem(s); first: ${issues[0]!.path}: ${issues[0]!.message}`,
        { issues },
      );
    }
    await this.store.bulkInsert(drafts, relationships, onProgress);
    const counts = { twins: drafts.length, relationships: relationships.length };
    await this.publish([makeEvent(EVENT_TYPES.twinsImported, counts)]);
    return counts;
  }

  // ---- Helpers

  private async countOutgoing(source: string, name: string, max: number): Promise<number> {
    return (await this.store.listRelationships(source, { direction: 'out', name, offset: 0, limit: max + 1 }))
      .length;
  }

  private async storedModelOf(id: string, cache: Map<string, string>): Promise<string | undefined> {
    const model = (await this.store.getTwin(id))?.model;
    if (model !== undefined) cache.set(id, model);
    return model;
  }

  private pageOf(request: PageRequest, key: string): { offset: number; pageSize: number } {
    if (request.continuationToken === undefined)
      return { offset: 0, pageSize: clampPageSize(request.pageSize) };
    const continuation = decodeContinuation(request.continuationToken);
    if (continuation.key !== key) {
      throw new ValidationError(
        'IMV_CONTINUATION_INVALID',
        'The continuation token belongs to another listing',
        {
          path: '/continuationToken',
        },
      );
    }
    return {
      offset: continuation.offset,
      pageSize: clampPageSize(request.pageSize ?? continuation.pageSize),
    };
  }

  private page<T>(rows: T[], offset: number, pageSize: number, key: string): Page<T> {
    const more = rows.length > pageSize;
    return {
      value: more ? rows.slice(0, pageSize) : rows,
      continuationToken: more ? encodeContinuation({ key, offset: offset + pageSize, pageSize }) : null,
    };
  }

  private async publish(events: ImverseEvent[]): Promise<void> {
    await this.bus.publish(events);
  }
}

function clampPageSize(size: number | undefined): number {
  if (size === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`,
      {
        path: '/pageSize',
      },
    );
  }
  return size;
}

function versionMismatch(id: string, current: number, expected: number): PreconditionFailedError {
  return new PreconditionFailedError(
    `${id} is at version W/"${current}", not the W/"${expected}" given in If-Match`,
    {
      path: '/If-Match',
    },
  );
}

/** Adds empty $metadata entries for fields a patch sets a sourceTime on, so a field and its
 *  sourceTime can be added in one patch. */
function withMetadataSlots(doc: TwinDoc, operations: readonly PatchOperation[]): TwinDoc {
  const missing = operations
    .map((op) => /^\/\$metadata\/([^/]+)\/sourceTime$/.exec(op.path)?.[1])
    .filter((field): field is string => field !== undefined && doc.$metadata[field] === undefined);
  if (missing.length === 0) return doc;
  const metadata = { ...doc.$metadata };
  for (const field of missing) metadata[field] = { lastUpdateTime: '' };
  return { ...doc, $metadata: metadata };
}

/** The version an If-Match demands; the current one when absent or `*`. */
function expectedVersion(ifMatch: string | undefined, current: number): number {
  if (ifMatch === undefined || ifMatch.trim() === '*') return current;
  const version = versionFromEtag(ifMatch);
  if (version === undefined) {
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      `If-Match ${JSON.stringify(ifMatch)} is not an ETag like W/"3"`,
      {
        path: '/If-Match',
      },
    );
  }
  return version;
}

function throwIfIssues(
  code: 'IMV_TWIN_INVALID' | 'IMV_RELATIONSHIP_INVALID',
  issues: Issue[],
  subject: string,
  at = '',
): void {
  if (issues.length === 0) return;
  const located = at === '' ? issues : issues.map((issue) => ({ ...issue, path: `${at}${issue.path}` }));
  const first = located[0]!;
  throw new ValidationError(code, `${subject}: ${first.path || '/'}: ${first.message}`, { issues: located });
}

const RELATIONSHIP_ID = /^[A-Za-z0-9_.:~-][A-Za-z0-9_.:~@+-]{0,127}$/;

function checkRelationshipId(id: string): void {
  if (!RELATIONSHIP_ID.test(id)) {
    throw new ValidationError(
      'IMV_ID_MALFORMED',
      `Relationship id "${id}" must be 1–128 letters, digits or . _ : ~ - @ +`,
      { path: '/$relationshipId' },
    );
  }
}

function pickSystem(doc: RelationshipDoc): Record<string, unknown> {
  const system: Record<string, unknown> = {};
  for (const key of Object.keys(doc)) if (key.startsWith('$')) system[key] = doc[key];
  return system;
}

function twinEvent(
  type: (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES],
  doc: TwinDoc,
  data: unknown,
): ImverseEvent {
  return makeEvent(type, data, { subject: doc.$dtId, twinmodel: doc.$metadata.$model });
}

function relationshipEvent(
  type: (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES],
  rel: RelationshipDoc,
  sourceModel?: string,
): ImverseEvent {
  return makeEvent(type, rel, {
    subject: rel.$sourceId,
    ...(sourceModel === undefined ? {} : { twinmodel: sourceModel }),
  });
}
