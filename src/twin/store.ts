// The twin store port: persistence of models, twins and relationships. The embedded default is
// SQLite (sqlite-store.ts); a PostgreSQL adapter implements the same contract (store.contract.ts).
// The store checks versions (optimistic concurrency) and referential integrity; the twin graph
// above it checks models.
import type { SubtreeScope } from '../access/access-view.js';
import type { RelationshipDoc, TwinDoc, TwinMetadata } from '../core/wire.js';
import type { CompiledQuery } from './query/index.js';

export interface StoredModel {
  readonly id: string;
  readonly document: unknown;
  readonly uploadTime: string;
}

export interface StoredTwin {
  readonly id: string;
  readonly model: string;
  readonly version: number;
  readonly doc: TwinDoc;
}

export interface StoredRelationship {
  readonly version: number;
  readonly doc: RelationshipDoc;
}

export interface NewRelationship {
  readonly id: string;
  readonly source: string;
  readonly name: string;
  readonly target: string;
  readonly properties: Record<string, unknown>;
}

/** A twin as written: the store sets $etag from the version it assigns. */
export interface TwinDraft {
  $dtId: string;
  $metadata: TwinMetadata;
  [field: string]: unknown;
}

export interface FieldUpdate {
  readonly twin: string;
  readonly fields: ReadonlyArray<{
    readonly field: string;
    readonly value: unknown;
    readonly sourceTime: string;
  }>;
}

export interface TraverseOptions {
  /** Relationship name to follow, e.g. `contains` or `feeds`. */
  readonly relationship: string;
  /** `out` follows source → target (what a line contains); `in` goes target → source (what is upstream). */
  readonly direction: 'out' | 'in';
  readonly maxDepth: number;
  readonly limit: number;
}

export interface TraversedTwin {
  readonly depth: number;
  readonly twin: TwinDoc;
}

/** One twin in a bulk scan: the values of the fields asked for, in their order (undefined where absent). */
export interface ScannedTwin {
  readonly id: string;
  readonly model: string;
  readonly values: readonly unknown[];
}

/** A relationship reduced to its ends, for bulk reads of the graph's shape. */
export interface ScannedLink {
  readonly source: string;
  readonly name: string;
  readonly target: string;
}

export interface ScanOptions {
  /** Only twins (or relationships whose source is a twin) in this scope; every twin when absent. */
  readonly scope?: SubtreeScope;
}

export interface BulkProgress {
  readonly twins: number;
  readonly relationships: number;
}

/**
 * Many changes written in one transaction, all or none: a declarative plant apply. Applied in this
 * order: models, relationship deletions, twin deletions (with every relationship from or to them),
 * twin insertions, twin replacements, relationship insertions, relationship replacements.
 */
export interface ChangeSet {
  readonly models: readonly StoredModel[];
  readonly deleteRelationships: ReadonlyArray<{ readonly source: string; readonly id: string }>;
  readonly deleteTwins: readonly string[];
  readonly insertTwins: readonly TwinDraft[];
  /** Each replaced only if still at `expectedVersion` (else PreconditionFailedError, and nothing is written). */
  readonly replaceTwins: ReadonlyArray<{ readonly draft: TwinDraft; readonly expectedVersion: number }>;
  readonly insertRelationships: readonly NewRelationship[];
  readonly replaceRelationships: ReadonlyArray<{
    readonly doc: RelationshipDoc;
    readonly expectedVersion: number;
  }>;
}

/** What a change set wrote, for the events that announce it. */
export interface AppliedChanges {
  /** Relationships deleted explicitly or with a deleted twin. */
  readonly deletedRelationships: readonly RelationshipDoc[];
  readonly deletedTwins: readonly StoredTwin[];
  readonly insertedTwins: readonly StoredTwin[];
  readonly replacedTwins: readonly StoredTwin[];
  readonly insertedRelationships: readonly StoredRelationship[];
  readonly replacedRelationships: readonly StoredRelationship[];
}

export interface TwinStore {
  // Models
  listModels(): Promise<StoredModel[]>;
  insertModels(models: readonly StoredModel[]): Promise<void>;
  deleteModel(id: string): Promise<void>;
  countTwinsOfModels(models: readonly string[]): Promise<number>;

  // Twins
  getTwin(id: string): Promise<StoredTwin | undefined>;
  /** The stored JSON text of a twin, for reads that pass it through unparsed. */
  getTwinJson(id: string): Promise<{ version: number; json: string } | undefined>;
  /** Throws ConflictError IMV_TWIN_EXISTS. */
  insertTwin(draft: TwinDraft): Promise<StoredTwin>;
  /** Replaces the twin if its version is still `expectedVersion`; else PreconditionFailedError. */
  replaceTwin(draft: TwinDraft, expectedVersion: number): Promise<StoredTwin>;
  /** Deletes the twin and every relationship from or to it; returns those relationships. */
  deleteTwin(id: string, expectedVersion?: number): Promise<RelationshipDoc[]>;
  countTwins(): Promise<number>;

  /**
   * Writes field values that devices reported (telemetry, device-owned properties), many twins in one
   * transaction. A field changes only when its sourceTime is not older than the stored one, so a late
   * point never overwrites newer state. The twin's version and ETag stay as they are: they track
   * changes made through the API, which device traffic must not turn into endless 412s.
   * Returns the updates that changed something; twins that no longer exist are skipped.
   */
  applyFieldUpdates(updates: readonly FieldUpdate[], updateTime: string): Promise<FieldUpdate[]>;

  // Relationships
  getRelationship(source: string, relationshipId: string): Promise<StoredRelationship | undefined>;
  /** Throws IMV_TWIN_NOT_FOUND (source), IMV_RELATIONSHIP_TARGET_MISSING, IMV_RELATIONSHIP_EXISTS. */
  insertRelationship(relationship: NewRelationship): Promise<StoredRelationship>;
  replaceRelationship(doc: RelationshipDoc, expectedVersion: number): Promise<StoredRelationship>;
  deleteRelationship(
    source: string,
    relationshipId: string,
    expectedVersion?: number,
  ): Promise<RelationshipDoc>;
  listRelationships(
    twin: string,
    options: { direction: 'out' | 'in'; name?: string; offset: number; limit: number },
  ): Promise<RelationshipDoc[]>;

  // Bulk reads: whole-plant views such as the 3D scene read everything at once, not page by page.
  /**
   * Some top-level fields of every twin, ordered by id, without handing over whole documents:
   * `fields` are property names (`name`, `layout`), not paths.
   */
  scanTwinFields(fields: readonly string[], options?: ScanOptions): Promise<ScannedTwin[]>;
  /** Every relationship with one of these names, as source, name and target identifiers. */
  scanRelationships(names: readonly string[], options?: ScanOptions): Promise<ScannedLink[]>;
  /** Whole twins under the prefixes, in id order: for plant-wide comparisons such as a plant apply. */
  scanTwins(options: ScanOptions): Promise<StoredTwin[]>;
  /** Whole relationships whose source twin lies under the prefixes. */
  scanRelationshipDocs(options: ScanOptions): Promise<RelationshipDoc[]>;

  // Queries
  /** Runs a compiled query; returns up to `limit` items and whether more follow. */
  query(query: CompiledQuery, limit: number): Promise<{ items: unknown[]; more: boolean }>;
  traverse(start: string, options: TraverseOptions): Promise<TraversedTwin[]>;

  /**
   * Inserts many new twins and relationships in large transactions; all of a batch or none.
   * Relationship endpoints may be in this batch or already stored.
   */
  bulkInsert(
    twins: readonly TwinDraft[],
    relationships: readonly NewRelationship[],
    onProgress?: (progress: BulkProgress) => void,
  ): Promise<void>;

  /** Writes a change set in one transaction: every change or none. */
  applyChanges(changes: ChangeSet): Promise<AppliedChanges>;

  close(): Promise<void>;
}
