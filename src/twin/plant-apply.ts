// `plant apply`: makes the stored plant match a plant file, in one transaction, after showing the
// plan. Reads the stored state, plans with plant-plan.ts, validates the result like an import, and
// writes it through the store's change set; a dry run stops before writing.
import { subtreesScope } from '../access/access-view.js';
import { isDeepStrictEqual } from 'node:util';
import { ConflictError, ValidationError } from '../core/errors.js';
import { makeEvent } from '../core/events.js';
import { normalizeIdentifier } from '../core/id.js';
import { EVENT_TYPES, type ImverseEvent, type RelationshipDoc } from '../core/wire.js';
import type { ModelRegistry } from '../model/registry.js';
import { checkImport } from './import-check.js';
import { declaredModelId, type PlantDefinition } from './plant.js';
import { planPlant, type PlantPlanSummary, type StoredPlant } from './plant-plan.js';
import type { AppliedChanges, StoredModel, StoredTwin, TwinStore } from './store.js';
import type { TenantScope } from './TenantScope.js';
import { relationshipEvent, twinEvent } from './twin-events.js';

export interface PlantApplyOptions {
  /** Plan only: validate and report, write nothing. */
  readonly dryRun?: boolean;
  /** Delete stored twins under the plant's prefix that the file no longer names. */
  readonly prune?: boolean;
}

export interface PlantApplyContext {
  readonly store: TwinStore;
  readonly models: ModelRegistry;
  readonly scope: TenantScope;
  readonly now: () => Date;
  publish(events: ImverseEvent[]): Promise<void>;
}

/** Each list of the result holds at most this many entries; the counts are always whole. */
export const MAX_LISTED = 1000;
/** Above this many changes one `twins.imported` event replaces the per-change events. */
const MAX_CHANGE_EVENTS = 10_000;

export interface PlantApplyResult {
  readonly prefix: string;
  readonly dryRun: boolean;
  readonly prune: boolean;
  /** False for a dry run and when the file changes nothing. */
  readonly applied: boolean;
  readonly counts: {
    readonly models: { readonly add: number; readonly unchanged: number };
    readonly twins: {
      readonly create: number;
      readonly update: number;
      readonly delete: number;
      readonly keep: number;
      readonly unchanged: number;
    };
    readonly relationships: {
      readonly add: number;
      readonly update: number;
      readonly remove: number;
      readonly unchanged: number;
    };
  };
  readonly models: { readonly add: readonly string[] };
  readonly twins: Omit<PlantPlanSummary['twins'], 'unchanged'>;
  readonly relationships: Omit<PlantPlanSummary['relationships'], 'unchanged'>;
  /** True when a list was cut at MAX_LISTED entries. */
  readonly truncated: boolean;
}

export async function applyPlant(
  ctx: PlantApplyContext,
  plant: PlantDefinition,
  options: PlantApplyOptions = {},
): Promise<PlantApplyResult> {
  const prune = options.prune ?? false;
  const dryRun = options.dryRun ?? false;
  const prefix = normalizeIdentifier(`${plant.prefix}/x`).split('/')[0]!;
  // Before anything is read: a caller sees nothing of a prefix outside its scope.
  ctx.scope.check(`${prefix}/x`, '/prefix');
  const time = ctx.now().toISOString();

  const { added: newModels, unchanged: unchangedModels } = sortModels(ctx.models, plant.models);
  const models = ctx.models.fork();
  const addedModels = newModels.length > 0 ? models.add(newModels) : [];

  const { drafts, relationships } = await checkImport(
    { twins: plant.twins, relationships: plant.relationships },
    {
      models,
      scope: ctx.scope,
      time,
      storedModelOf: async (id) => (await ctx.store.getTwin(id))?.model,
      countOutgoing: async (source, name, max) =>
        (await ctx.store.listRelationships(source, { direction: 'out', name, offset: 0, limit: max + 1 }))
          .length,
    },
  );
  const stored = await readStored(
    ctx.store,
    drafts.map((draft) => draft.$dtId),
    prefix,
  );
  const plan = planPlant({ drafts, relationships }, stored, { prune, time });
  refuseDanglingTargets(plan.changes.deleteTwins, relationships);

  const { summary } = plan;
  const changes =
    addedModels.length +
    summary.twins.create.length +
    summary.twins.update.length +
    summary.twins.delete.length +
    summary.relationships.add.length +
    summary.relationships.update.length +
    summary.relationships.remove.length;
  const result = resultOf(
    prefix,
    dryRun,
    prune,
    !dryRun && changes > 0,
    addedModels.map((m) => m.id),
    unchangedModels,
    summary,
  );
  if (dryRun || changes === 0) return result;

  const storedModels: StoredModel[] = addedModels.map((model) => ({
    id: model.id,
    document: model.document,
    uploadTime: time,
  }));
  // The shared registry learns the new models only once they are stored with the twins.
  const applied = await ctx.store.applyChanges({ models: storedModels, ...plan.changes });
  if (newModels.length > 0) registerStored(ctx.models, newModels);
  await ctx.publish([
    ...addedModels.map((model) => makeEvent(EVENT_TYPES.modelCreated, { id: model.id })),
    ...changeEvents(applied, changes),
  ]);
  return result;
}

/** Adds models already stored; one registered meanwhile by another request is the same immutable version. */
function registerStored(registry: ModelRegistry, documents: PlantDefinition['models']): void {
  try {
    registry.add(documents);
  } catch (error) {
    if (!(error instanceof ConflictError && error.code === 'IMV_MODEL_EXISTS')) throw error;
    const missing = documents.filter((document) => {
      const id = declaredModelId(document);
      return id === undefined || !registry.has(id);
    });
    if (missing.length > 0) registry.add(missing);
  }
}

/** The file's models split into those to add and those already registered as they are. */
function sortModels(
  registry: ModelRegistry,
  documents: PlantDefinition['models'],
): { added: PlantDefinition['models']; unchanged: number } {
  const added: PlantDefinition['models'] = [];
  let unchanged = 0;
  for (const document of documents) {
    const id = declaredModelId(document);
    const registered = id === undefined ? undefined : registry.get(id);
    if (registered === undefined) {
      added.push(document);
    } else if (isDeepStrictEqual(registered.document, document.content)) {
      unchanged++;
    } else {
      throw new ConflictError(
        'IMV_MODEL_EXISTS',
        `${document.source}: model ${id} differs from the registered one; a model version is immutable, so give the changed model a new version (e.g. ;2) and refer to that`,
        { path: '/models' },
      );
    }
  }
  return { added, unchanged };
}

/** The stored twins under the plant's prefix and the relationships from those the file names, in two reads. */
async function readStored(store: TwinStore, ids: readonly string[], prefix: string): Promise<StoredPlant> {
  const named = new Set(ids);
  const underPrefix = await store.scanTwins({ scope: subtreesScope([prefix]) });
  const twins = new Map<string, StoredTwin>();
  for (const twin of underPrefix) if (named.has(twin.id)) twins.set(twin.id, twin);
  const outgoing = new Map<string, RelationshipDoc[]>();
  for (const doc of await store.scanRelationshipDocs({ scope: subtreesScope([prefix]) })) {
    if (!twins.has(doc.$sourceId)) continue;
    const docs = outgoing.get(doc.$sourceId);
    if (docs === undefined) outgoing.set(doc.$sourceId, [doc]);
    else docs.push(doc);
  }
  return { twins, outgoing, underPrefix: underPrefix.map((twin) => twin.id) };
}

/** A relationship in the file may point at a stored twin outside it; pruning that twin would break it. */
function refuseDanglingTargets(
  deleted: readonly string[],
  relationships: ReadonlyArray<{ source: string; id: string; target: string }>,
): void {
  if (deleted.length === 0) return;
  const gone = new Set(deleted);
  const issues = relationships
    .map((rel, index) => ({ rel, index }))
    .filter(({ rel }) => gone.has(rel.target))
    .slice(0, 100)
    .map(({ rel, index }) => ({
      path: `/relationships/${index}/target`,
      message: `${rel.source} → ${rel.target}: the target is not in the file, so --prune would delete it; add it to the file or do not prune`,
      rule: 'IMV_RELATIONSHIP_TARGET_MISSING',
    }));
  if (issues.length > 0) {
    throw new ValidationError(
      'IMV_IMPORT_INVALID',
      `The plan has ${issues.length} problem(s); first: ${issues[0]!.message}`,
      {
        issues,
      },
    );
  }
}

function resultOf(
  prefix: string,
  dryRun: boolean,
  prune: boolean,
  applied: boolean,
  addedModels: readonly string[],
  unchangedModels: number,
  summary: PlantPlanSummary,
): PlantApplyResult {
  let truncated = false;
  const cap = <T>(list: readonly T[]): readonly T[] => {
    if (list.length <= MAX_LISTED) return list;
    truncated = true;
    return list.slice(0, MAX_LISTED);
  };
  const { twins, relationships } = summary;
  const listed = {
    models: { add: cap(addedModels) },
    twins: {
      create: cap(twins.create),
      update: cap(twins.update),
      delete: cap(twins.delete),
      keep: cap(twins.keep),
    },
    relationships: {
      add: cap(relationships.add),
      update: cap(relationships.update),
      remove: cap(relationships.remove),
    },
  };
  return {
    prefix,
    dryRun,
    prune,
    applied,
    counts: {
      models: { add: addedModels.length, unchanged: unchangedModels },
      twins: {
        create: twins.create.length,
        update: twins.update.length,
        delete: twins.delete.length,
        keep: twins.keep.length,
        unchanged: twins.unchanged,
      },
      relationships: {
        add: relationships.add.length,
        update: relationships.update.length,
        remove: relationships.remove.length,
        unchanged: relationships.unchanged,
      },
    },
    ...listed,
    truncated,
  };
}

/** The events of an applied change set, in the order the store applied it. */
function changeEvents(applied: AppliedChanges, changes: number): ImverseEvent[] {
  if (changes > MAX_CHANGE_EVENTS) {
    // Subscribers reload on a bulk import rather than replaying tens of thousands of events.
    return [
      makeEvent(EVENT_TYPES.twinsImported, {
        twins: applied.insertedTwins.length + applied.replacedTwins.length,
        relationships: applied.insertedRelationships.length + applied.replacedRelationships.length,
      }),
    ];
  }
  return [
    ...applied.deletedRelationships.map((rel) => relationshipEvent(EVENT_TYPES.relationshipDeleted, rel)),
    ...applied.deletedTwins.map((twin) => twinEvent(EVENT_TYPES.twinDeleted, twin.doc, twin.doc)),
    ...applied.insertedTwins.map((twin) => twinEvent(EVENT_TYPES.twinCreated, twin.doc, twin.doc)),
    ...applied.replacedTwins.map((twin) =>
      twinEvent(EVENT_TYPES.twinUpdated, twin.doc, { twin: twin.doc, patch: [] }),
    ),
    ...applied.insertedRelationships.map((rel) =>
      relationshipEvent(EVENT_TYPES.relationshipCreated, rel.doc),
    ),
    ...applied.replacedRelationships.map((rel) =>
      relationshipEvent(EVENT_TYPES.relationshipUpdated, rel.doc),
    ),
  ];
}
