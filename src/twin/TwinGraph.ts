// The twin graph service: validates every change against the models, writes it through the
// store port and publishes what changed on the bus. Pure domain: no I/O of its own.
import type { SubtreeScope } from '../access/access-view.js';
import { AuthError, ConflictError, NotFoundError, ValidationError, type Issue } from '../core/errors.js';
import { makeEvent } from '../core/events.js';
import { normalizeIdentifier } from '../core/id.js';
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
import { contentOf, etagOf, systemFieldsOf, withoutFields } from './doc.js';
import { applyPatch, checkPatch } from './patch.js';
import { compileQuery, parseQuery } from './query/index.js';
import { TenantScope, type FieldRules } from './TenantScope.js';
import { checkImport, type ImportInput } from './import-check.js';
import { applyPlant, type PlantApplyOptions, type PlantApplyResult } from './plant-apply.js';
import type { PlantDefinition } from './plant.js';

export type { ImportInput } from './import-check.js';
import { expectedVersion, versionMismatch } from './preconditions.js';
import { relationshipIdProblem } from './relationship-id.js';
import { relationshipEvent, twinEvent } from './twin-events.js';
import { restamp, stampNew, withMetadataSlots } from './metadata.js';
import { decodeContinuation, encodeContinuation } from './paging.js';
import type {
  NewRelationship,
  ScanOptions,
  ScannedLink,
  ScannedTwin,
  StoredModel,
  StoredRelationship,
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

export const DEFAULT_PAGE_SIZE = 100;
/** Continuation keys of queries start with this; listings use their own. */
const QUERY_KEY = 'q:';
export const MAX_PAGE_SIZE = 1000;

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
  withScope(scope: readonly string[] | SubtreeScope | undefined, fieldRules?: FieldRules): TwinGraph {
    const tenantScope = new TenantScope(scope, fieldRules);
    if (!tenantScope.restricted && fieldRules === undefined && !this.scope.restricted) return this;
    return new TwinGraph(this.store, this.models, this.bus, {
      now: this.now,
      builtInModels: this.builtIn,
      scope: tenantScope,
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
    const hidden = this.scope.fieldRules?.hidden(key) ?? [];
    const json =
      hidden.length === 0
        ? twin.json
        : JSON.stringify(withoutFields(JSON.parse(twin.json) as Record<string, unknown>, hidden));
    return { etag: etagOf(twin.version), json };
  }

  /** The fields of `fields` this caller may read on twin `id` (a policy may hide some). */
  readableFields(id: string, fields: readonly string[]): string[] {
    const hidden = this.scope.fieldRules?.hidden(id) ?? [];
    return hidden.length === 0 ? [...fields] : fields.filter((field) => !hidden.includes(field));
  }

  /** `fields`, when this caller may read them all on twin `id`; IMV_AUTH_FORBIDDEN names the first it may not. */
  checkFieldsReadable(id: string, fields: string[]): string[] {
    const hidden = this.scope.fieldRules?.hidden(id) ?? [];
    const refused = fields.find((field) => hidden.includes(field));
    if (refused !== undefined) {
      throw new AuthError(
        'IMV_AUTH_FORBIDDEN',
        `${id}: a policy keeps the field ${refused} from this caller`,
        {
          path: '/query/field',
        },
      );
    }
    return fields;
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
    const draft = restamp(current.doc, patched, content, this.now().toISOString());
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
    return {
      $dtId: key,
      $metadata: stampNew(model, content, metadata, this.now().toISOString()),
      ...content,
    };
  }

  // ---- Relationships

  async getRelationship(source: string, relationshipId: string): Promise<RelationshipDoc> {
    const twin = await this.getTwin(source);
    return (await this.visibleRelationship(twin, relationshipId)).doc;
  }

  /**
   * A stored relationship of the twin, if the caller may see it: like the list, a caller limited to
   * prefixes sees only relationships whose target lies in them; others are "not found", exactly as
   * a relationship that does not exist.
   */
  private async visibleRelationship(twin: StoredTwin, relationshipId: string): Promise<StoredRelationship> {
    const stored = await this.store.getRelationship(twin.id, relationshipId);
    if (stored === undefined || !this.scope.allows(stored.doc.$targetId)) {
      throw new NotFoundError(
        'IMV_RELATIONSHIP_NOT_FOUND',
        `Twin ${twin.id} has no relationship ${relationshipId}`,
      );
    }
    return stored;
  }

  async putRelationship(
    source: string,
    relationshipId: string,
    body: unknown,
    preconditions: Preconditions = {},
  ): Promise<RelationshipDoc> {
    const twin = await this.getTwin(source);
    const idProblem = relationshipIdProblem(relationshipId);
    if (idProblem !== undefined) {
      throw new ValidationError('IMV_ID_MALFORMED', idProblem, { path: '/$relationshipId' });
    }
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
      { ...systemFieldsOf(existing.doc), ...fields.properties } as RelationshipDoc,
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
    const existing = await this.visibleRelationship(twin, relationshipId);
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
    const existing = await this.visibleRelationship(twin, relationshipId);
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
      ...(this.scope.subtrees === undefined ? {} : { scope: this.scope.subtrees }),
    };
    this.#checkQueryFields(queryText);
    const compiled = compileQuery(parseQuery(queryText), context, { offset, limit: pageSize + 1 });
    if (compiled.kind === 'count') {
      const { items } = await this.store.query(compiled, 1);
      return { value: items, continuationToken: null };
    }
    const remaining = compiled.top === undefined ? pageSize : Math.min(pageSize, compiled.top - offset);
    const { items: found, more } = await this.store.query(compiled, Math.max(0, remaining));
    const items = this.scope.fieldRules === undefined ? found : found.map((item) => this.#hideFields(item));
    const next = more && (compiled.top === undefined || offset + items.length < compiled.top);
    return {
      value: items,
      continuationToken: next
        ? encodeContinuation({ key: `${QUERY_KEY}${queryText}`, offset: offset + items.length, pageSize })
        : null,
    };
  }

  /** A query may not name a field a policy rules on for this caller: a filter on it would tell its values. */
  #checkQueryFields(text: string): void {
    for (const field of this.scope.fieldRules?.named ?? []) {
      if (new RegExp(`\\b${field}\\b`).test(text)) {
        throw new AuthError(
          'IMV_AUTH_FORBIDDEN',
          `A query may not name ${field}: a policy rules on that field for this caller`,
          { path: '/query' },
        );
      }
    }
  }

  /** Twin documents in a query's answer, less the fields hidden from this caller. */
  #hideFields(item: unknown): unknown {
    if (typeof item !== 'object' || item === null) return item;
    const record = item as Record<string, unknown>;
    if (typeof record.$dtId === 'string') {
      const hidden = this.scope.fieldRules!.hidden(record.$dtId);
      return hidden.length === 0 ? item : withoutFields(record, hidden);
    }
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, this.#hideFields(value)]));
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
    const visible = this.scope.restricted
      ? reached.filter((entry) => this.scope.allows(entry.twin.$dtId))
      : reached;
    const rules = this.scope.fieldRules;
    if (rules === undefined) return visible;
    return visible.map((entry) => {
      const hidden = rules.hidden(entry.twin.$dtId);
      if (hidden.length === 0) return entry;
      const twin = withoutFields(
        entry.twin as unknown as Record<string, unknown>,
        hidden,
      ) as unknown as TwinDoc;
      return { ...entry, twin };
    });
  }

  /**
   * Some fields of every twin this caller may see, in identifier order, for plant-wide views (the 3D
   * scene, KPIs, the timeline): the scope pushed into the store, and a field a policy hides left
   * out (undefined) as it is left out of documents.
   */
  async scanFields(fields: readonly string[]): Promise<ScannedTwin[]> {
    const rows = await this.store.scanTwinFields(fields, this.#scanOptions());
    const rules = this.scope.fieldRules;
    if (rules === undefined) return rows;
    return rows.map((row) => {
      const hidden = rules.hidden(row.id);
      if (hidden.length === 0) return row;
      return {
        ...row,
        values: row.values.map((value, i) => (hidden.includes(fields[i]!) ? undefined : value)),
      };
    });
  }

  /** Relationships of these names whose source this caller may see, for plant-wide views. */
  scanRelationships(names: readonly string[]): Promise<ScannedLink[]> {
    return this.store.scanRelationships(names, this.#scanOptions());
  }

  #scanOptions(): ScanOptions {
    return this.scope.subtrees === undefined ? {} : { scope: this.scope.subtrees };
  }

  // ---- Bulk import

  /** Validates a whole plant, then writes it in one transaction: all of it or nothing. */
  async importTwins(
    input: ImportInput,
    onProgress?: (progress: { twins: number; relationships: number }) => void,
  ): Promise<{ twins: number; relationships: number }> {
    const { drafts, relationships } = await checkImport(input, {
      models: this.models,
      scope: this.scope,
      time: this.now().toISOString(),
      storedModelOf: async (id) => (await this.store.getTwin(id))?.model,
      countOutgoing: async (source, name, max) =>
        (await this.store.listRelationships(source, { direction: 'out', name, offset: 0, limit: max + 1 }))
          .length,
    });
    await this.store.bulkInsert(drafts, relationships, onProgress);
    const counts = { twins: drafts.length, relationships: relationships.length };
    await this.publish([makeEvent(EVENT_TYPES.twinsImported, counts)]);
    return counts;
  }

  /** Makes the stored plant match a plant file in one transaction (or, dry, only reports the plan). */
  async applyPlant(plant: PlantDefinition, options: PlantApplyOptions = {}): Promise<PlantApplyResult> {
    return applyPlant(
      {
        store: this.store,
        models: this.models,
        scope: this.scope,
        now: this.now,
        publish: (events) => this.publish(events),
      },
      plant,
      options,
    );
  }

  // ---- Helpers

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
