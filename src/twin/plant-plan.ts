// A declarative plant apply, planned: what to create, update and delete so that the stored plant
// matches the file. Pure: the caller reads the stored state and writes the change set.
//
// The rules (docs/plant-format.md, "Applying a changed file"):
// - a twin in the file and not stored is created;
// - a twin in both is updated when a property the file names differs; properties the file does
//   not name (telemetry, state written by devices or through the API) keep their values; a
//   changed model replaces the twin's content with the file's;
// - a stored twin under the plant's prefix that the file no longer names is deleted only with
//   prune, and its history is never touched;
// - the relationships from a twin in the file are exactly the file's: others from it are removed.
import { isDeepStrictEqual } from 'node:util';
import type { RelationshipDoc } from '../core/wire.js';
import { contentOf, systemFieldsOf, versionFromEtag } from './doc.js';
import type { ChangeSet, NewRelationship, StoredTwin, TwinDraft } from './store.js';

export interface StoredPlant {
  /** The stored twins the file names, by normalised identifier. */
  readonly twins: ReadonlyMap<string, StoredTwin>;
  /** The stored outgoing relationships of those twins, by source. */
  readonly outgoing: ReadonlyMap<string, readonly RelationshipDoc[]>;
  /** Every stored twin under the plant's prefix, in id order. */
  readonly underPrefix: readonly string[];
}

export interface PlanOptions {
  /** Delete stored twins under the prefix that the file does not name. */
  readonly prune: boolean;
  /** The lastUpdateTime of every changed field. */
  readonly time: string;
}

export interface TwinUpdate {
  readonly id: string;
  /** The properties whose values change. */
  readonly fields: readonly string[];
  /** Set when the twin's model changes: its content is replaced by the file's. */
  readonly model?: { readonly from: string; readonly to: string };
}

export interface RelationshipRef {
  readonly source: string;
  readonly id: string;
  readonly name: string;
  readonly target: string;
}

/** What an apply does, for people and scripts to read before (`--dry-run`) or after it. */
export interface PlantPlanSummary {
  readonly twins: {
    readonly create: readonly string[];
    readonly update: readonly TwinUpdate[];
    readonly delete: readonly string[];
    /** Stored under the prefix, not in the file, and kept because prune was not asked for. */
    readonly keep: readonly string[];
    readonly unchanged: number;
  };
  readonly relationships: {
    readonly add: readonly RelationshipRef[];
    readonly update: readonly RelationshipRef[];
    readonly remove: readonly RelationshipRef[];
    readonly unchanged: number;
  };
}

export interface PlantPlan {
  readonly changes: Omit<ChangeSet, 'models'>;
  readonly summary: PlantPlanSummary;
}

export function planPlant(
  desired: { readonly drafts: readonly TwinDraft[]; readonly relationships: readonly NewRelationship[] },
  stored: StoredPlant,
  options: PlanOptions,
): PlantPlan {
  const named = new Set(desired.drafts.map((draft) => draft.$dtId));
  const insertTwins: TwinDraft[] = [];
  const replaceTwins: Array<{ draft: TwinDraft; expectedVersion: number }> = [];
  const updates: TwinUpdate[] = [];
  let unchangedTwins = 0;
  for (const draft of desired.drafts) {
    const current = stored.twins.get(draft.$dtId);
    if (current === undefined) {
      insertTwins.push(draft);
      continue;
    }
    const update = twinUpdate(current, draft, options.time);
    if (update === undefined) {
      unchangedTwins++;
      continue;
    }
    replaceTwins.push({ draft: update.draft, expectedVersion: current.version });
    updates.push(update.summary);
  }

  const absent = stored.underPrefix.filter((id) => !named.has(id));
  const deleteTwins = options.prune ? absent : [];
  const deleted = new Set(deleteTwins);

  const wanted = new Map<string, NewRelationship>();
  for (const rel of desired.relationships) wanted.set(relationshipKey(rel.source, rel.id), rel);
  const deleteRelationships: Array<{ source: string; id: string }> = [];
  const replaceRelationships: Array<{ doc: RelationshipDoc; expectedVersion: number }> = [];
  const insertRelationships: NewRelationship[] = [];
  const removed: RelationshipRef[] = [];
  const changed: RelationshipRef[] = [];
  let unchangedRelationships = 0;
  const existing = new Set<string>();
  for (const [source, docs] of stored.outgoing) {
    for (const doc of docs) {
      const key = relationshipKey(source, doc.$relationshipId);
      const rel = wanted.get(key);
      const ref = refOf(doc);
      // A relationship to a twin being pruned goes with it: the store deletes it with the twin.
      if (rel === undefined) {
        if (!deleted.has(doc.$targetId)) {
          deleteRelationships.push({ source, id: doc.$relationshipId });
          removed.push(ref);
        }
        continue;
      }
      existing.add(key);
      if (rel.name !== doc.$relationshipName || rel.target !== doc.$targetId) {
        // Name and target are a relationship's identity: a changed one is a new relationship.
        deleteRelationships.push({ source, id: doc.$relationshipId });
        removed.push(ref);
        insertRelationships.push(rel);
        continue;
      }
      if (isDeepStrictEqual(contentOf(doc), rel.properties)) {
        unchangedRelationships++;
        continue;
      }
      replaceRelationships.push({
        doc: { ...systemFieldsOf(doc), ...rel.properties } as RelationshipDoc,
        expectedVersion: versionFromEtag(doc.$etag) ?? 1,
      });
      changed.push(ref);
    }
  }
  for (const rel of desired.relationships) {
    if (!existing.has(relationshipKey(rel.source, rel.id))) insertRelationships.push(rel);
  }
  const added = insertRelationships.map((rel) => ({
    source: rel.source,
    id: rel.id,
    name: rel.name,
    target: rel.target,
  }));

  return {
    changes: {
      deleteRelationships,
      deleteTwins,
      insertTwins,
      replaceTwins,
      insertRelationships,
      replaceRelationships,
    },
    summary: {
      twins: {
        create: insertTwins.map((draft) => draft.$dtId),
        update: updates,
        delete: deleteTwins,
        keep: options.prune ? [] : absent,
        unchanged: unchangedTwins,
      },
      relationships: {
        add: added,
        update: changed,
        remove: removed,
        unchanged: unchangedRelationships,
      },
    },
  };
}

/** The twin as the file wants it, or undefined when the file changes nothing. */
function twinUpdate(
  current: StoredTwin,
  draft: TwinDraft,
  time: string,
): { draft: TwinDraft; summary: TwinUpdate } | undefined {
  const wantedModel = draft.$metadata.$model;
  if (current.model !== wantedModel) {
    return {
      draft,
      summary: {
        id: current.id,
        fields: Object.keys(contentOf(draft)),
        model: { from: current.model, to: wantedModel },
      },
    };
  }
  const fields = Object.keys(contentOf(draft)).filter(
    (field) => !isDeepStrictEqual(current.doc[field], draft[field]),
  );
  if (fields.length === 0) return undefined;
  const { $etag: _etag, ...doc } = current.doc;
  const metadata: TwinDraft['$metadata'] = { ...current.doc.$metadata, $lastUpdateTime: time };
  const next: TwinDraft = { ...doc, $metadata: metadata };
  for (const field of fields) {
    next[field] = draft[field];
    metadata[field] = { lastUpdateTime: time };
  }
  return { draft: next, summary: { id: current.id, fields } };
}

function relationshipKey(source: string, id: string): string {
  return `${source}\n${id}`;
}

function refOf(doc: RelationshipDoc): RelationshipRef {
  return {
    source: doc.$sourceId,
    id: doc.$relationshipId,
    name: doc.$relationshipName,
    target: doc.$targetId,
  };
}
