// The embedded twin store: one SQLite file (better-sqlite3, WAL). Twins keep their whole JSON
// document; scalar property values are also kept in an index table so queries use indexes.
import { scopeSql } from './scope-sql.js';
import Database from 'better-sqlite3';
import type { RelationshipDoc, TwinDoc } from '../core/wire.js';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../core/errors.js';
import {
  indexedValues,
  indexedValuesOfField,
  relationshipDoc,
  rootField,
  withEtag,
  withPath,
} from './doc.js';
import { RowBatcher } from './sqlite-batch.js';
import { TWIN_STORE_SCHEMA } from './sqlite-schema.js';
import type {
  AppliedChanges,
  BulkProgress,
  ChangeSet,
  FieldUpdate,
  NewRelationship,
  ScannedLink,
  ScannedTwin,
  ScanOptions,
  StoredModel,
  StoredRelationship,
  StoredTwin,
  TraverseOptions,
  TraversedTwin,
  TwinDraft,
  TwinStore,
} from './store.js';
import type { CompiledQuery } from './query/index.js';

const BULK_CHUNK = 20_000;

export interface SqliteTwinStoreOptions {
  /** `full` survives power loss; the default `normal` survives process crashes (kill -9) and is faster. */
  readonly synchronous?: 'normal' | 'full';
  /** Page cache in MiB. */
  readonly cacheMiB?: number;
}

type Row = Record<string, unknown>;

export class SqliteTwinStore implements TwinStore {
  readonly db: Database.Database;
  private readonly stmt: ReturnType<SqliteTwinStore['prepareStatements']>;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string, options: SqliteTwinStoreOptions = {}) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma(`cache_size = -${(options.cacheMiB ?? 256) * 1024}`);
    this.db.pragma('temp_store = MEMORY');
    this.db.exec(TWIN_STORE_SCHEMA);
    this.stmt = this.prepareStatements();
  }

  private prepareStatements() {
    const db = this.db;
    return {
      listModels: db.prepare('SELECT id, document, upload_time FROM models ORDER BY seq'),
      insertModel: db.prepare(
        'INSERT INTO models (id, document, upload_time, seq) VALUES (?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM models))',
      ),
      deleteModel: db.prepare('DELETE FROM models WHERE id = ?'),
      getTwin: db.prepare('SELECT pk, id, model, version, doc FROM twins WHERE id = ?'),
      getTwinJson: db.prepare('SELECT version, doc AS json FROM twins WHERE id = ?'),
      pkOf: db.prepare('SELECT pk FROM twins WHERE id = ?').pluck(),
      maxPk: db.prepare('SELECT coalesce(max(pk), 0) FROM twins').pluck(),
      idOf: db.prepare('SELECT id FROM twins WHERE pk = ?').pluck(),
      insertTwin: db.prepare('INSERT INTO twins (id, model, version, doc) VALUES (?, ?, ?, ?)'),
      updateTwin: db.prepare('UPDATE twins SET model = ?, version = ?, doc = ? WHERE pk = ?'),
      deleteTwin: db.prepare('DELETE FROM twins WHERE pk = ?'),
      countTwins: db.prepare('SELECT count(*) FROM twins').pluck(),
      insertProp: db.prepare('INSERT OR IGNORE INTO twin_props (name, value, twin) VALUES (?, ?, ?)'),
      deleteProp: db.prepare('DELETE FROM twin_props WHERE name = ? AND value = ? AND twin = ?'),
      getRelationship: db.prepare('SELECT pk, version, doc FROM relationships WHERE source = ? AND id = ?'),
      insertRelationship: db.prepare(
        'INSERT INTO relationships (source, id, name, target, version, doc) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      updateRelationship: db.prepare('UPDATE relationships SET version = ?, doc = ? WHERE pk = ?'),
      deleteRelationship: db.prepare('DELETE FROM relationships WHERE pk = ?'),
      relationshipsOfTwin: db.prepare(
        'SELECT pk, doc FROM relationships WHERE source = @pk UNION ALL SELECT pk, doc FROM relationships WHERE target = @pk AND source != @pk',
      ),
      outgoing: db
        .prepare('SELECT doc FROM relationships WHERE source = ? ORDER BY pk LIMIT ? OFFSET ?')
        .pluck(),
      outgoingNamed: db
        .prepare('SELECT doc FROM relationships WHERE source = ? AND name = ? ORDER BY pk LIMIT ? OFFSET ?')
        .pluck(),
      incoming: db
        .prepare('SELECT doc FROM relationships WHERE target = ? ORDER BY pk LIMIT ? OFFSET ?')
        .pluck(),
      incomingNamed: db
        .prepare('SELECT doc FROM relationships WHERE target = ? AND name = ? ORDER BY pk LIMIT ? OFFSET ?')
        .pluck(),
      traverseOut: db.prepare(`
        WITH RECURSIVE walk(pk, depth) AS (
          SELECT @start, 0
          UNION
          SELECT r.target, walk.depth + 1 FROM walk JOIN relationships r ON r.source = walk.pk AND r.name = @name
          WHERE walk.depth < @maxDepth
        )
        SELECT min(walk.depth) AS depth, t.doc FROM walk JOIN twins t ON t.pk = walk.pk
        WHERE walk.depth > 0 GROUP BY walk.pk ORDER BY depth, walk.pk LIMIT @limit`),
      traverseIn: db.prepare(`
        WITH RECURSIVE walk(pk, depth) AS (
          SELECT @start, 0
          UNION
          SELECT r.source, walk.depth + 1 FROM walk JOIN relationships r ON r.target = walk.pk AND r.name = @name
          WHERE walk.depth < @maxDepth
        )
        SELECT min(walk.depth) AS depth, t.doc FROM walk JOIN twins t ON t.pk = walk.pk
        WHERE walk.depth > 0 GROUP BY walk.pk ORDER BY depth, walk.pk LIMIT @limit`),
    };
  }

  async listModels(): Promise<StoredModel[]> {
    return (this.stmt.listModels.all() as Row[]).map((row) => ({
      id: row.id as string,
      document: JSON.parse(row.document as string) as unknown,
      uploadTime: row.upload_time as string,
    }));
  }

  async insertModels(models: readonly StoredModel[]): Promise<void> {
    this.db.transaction(() => this.insertModelsNow(models))();
  }

  private insertModelsNow(models: readonly StoredModel[]): void {
    for (const model of models) {
      try {
        this.stmt.insertModel.run(model.id, JSON.stringify(model.document), model.uploadTime);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError('IMV_MODEL_EXISTS', `Model ${model.id} already exists`, { cause: error });
        }
        throw error;
      }
    }
  }

  async deleteModel(id: string): Promise<void> {
    const { changes } = this.stmt.deleteModel.run(id);
    if (changes === 0) throw new NotFoundError('IMV_MODEL_NOT_FOUND', `Model ${id} not found`);
  }

  async countTwinsOfModels(models: readonly string[]): Promise<number> {
    if (models.length === 0) return 0;
    const placeholders = models.map(() => '?').join(',');
    return this.db
      .prepare(`SELECT count(*) FROM twins WHERE model IN (${placeholders})`)
      .pluck()
      .get(...models) as number;
  }

  async getTwin(id: string): Promise<StoredTwin | undefined> {
    const row = this.stmt.getTwin.get(id) as Row | undefined;
    return row === undefined ? undefined : toStoredTwin(row);
  }

  async getTwinJson(id: string): Promise<{ version: number; json: string } | undefined> {
    return this.stmt.getTwinJson.get(id) as { version: number; json: string } | undefined;
  }

  async insertTwin(draft: TwinDraft): Promise<StoredTwin> {
    return this.db.transaction(() => this.insertTwinNow(draft))();
  }

  private insertTwinNow(draft: TwinDraft): StoredTwin {
    const doc = withEtag(draft, 1);
    let pk: number;
    try {
      pk = Number(
        this.stmt.insertTwin.run(doc.$dtId, doc.$metadata.$model, 1, JSON.stringify(doc)).lastInsertRowid,
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError('IMV_TWIN_EXISTS', `Twin ${doc.$dtId} already exists`, {
          path: '/$dtId',
          cause: error,
        });
      }
      throw error;
    }
    for (const [name, value] of indexedValues(doc)) this.stmt.insertProp.run(name, value, pk);
    return { id: doc.$dtId, model: doc.$metadata.$model, version: 1, doc };
  }

  async replaceTwin(draft: TwinDraft, expectedVersion: number): Promise<StoredTwin> {
    return this.db.transaction(() => this.replaceTwinNow(draft, expectedVersion))();
  }

  private replaceTwinNow(draft: TwinDraft, expectedVersion: number): StoredTwin {
    const row = this.stmt.getTwin.get(draft.$dtId) as Row | undefined;
    if (row === undefined) throw twinNotFound(draft.$dtId);
    const current = row.version as number;
    if (current !== expectedVersion) throw versionMismatch(draft.$dtId, current, expectedVersion);
    const pk = row.pk as number;
    const version = current + 1;
    const doc = withEtag(draft, version);
    this.stmt.updateTwin.run(doc.$metadata.$model, version, JSON.stringify(doc), pk);
    this.reindex(pk, JSON.parse(row.doc as string) as TwinDoc, doc);
    return { id: doc.$dtId, model: doc.$metadata.$model, version, doc };
  }

  private reindex(pk: number, before: TwinDoc, after: TwinDoc): void {
    this.reindexEntries(pk, indexedValues(before), indexedValues(after));
  }

  private reindexEntries(
    pk: number,
    before: Array<[string, string | number]>,
    after: Array<[string, string | number]>,
  ): void {
    const old = new Map(before);
    const now = new Map(after);
    for (const [name, value] of old) {
      if (now.get(name) !== value) this.stmt.deleteProp.run(name, value, pk);
    }
    for (const [name, value] of now) {
      if (old.get(name) !== value) this.stmt.insertProp.run(name, value, pk);
    }
  }

  async applyFieldUpdates(updates: readonly FieldUpdate[], updateTime: string): Promise<FieldUpdate[]> {
    return this.db.transaction(() => {
      const applied: FieldUpdate[] = [];
      for (const update of updates) {
        const row = this.stmt.getTwin.get(update.twin) as Row | undefined;
        if (row === undefined) continue;
        const before = JSON.parse(row.doc as string) as TwinDoc;
        const after: TwinDoc = { ...before, $metadata: { ...before.$metadata, $lastUpdateTime: updateTime } };
        const roots = new Set<string>();
        const changed = update.fields.filter(({ field, value, sourceTime }) => {
          // `position.x` is the field x of the Object field position: metadata is kept per top-level field.
          const root = rootField(field);
          const meta = before.$metadata[root];
          const previous = typeof meta === 'object' ? meta.sourceTime : undefined;
          if (previous !== undefined && previous > sourceTime) return false;
          after[root] = root === field ? value : withPath(after[root], field.slice(root.length + 1), value);
          after.$metadata[root] = { lastUpdateTime: updateTime, sourceTime };
          roots.add(root);
          return true;
        });
        if (changed.length === 0) continue;
        this.stmt.updateTwin.run(after.$metadata.$model, row.version, JSON.stringify(after), row.pk);
        // Only the changed fields: reindexing the whole twin on every telemetry commit costs more.
        for (const root of roots) {
          this.reindexEntries(
            row.pk as number,
            indexedValuesOfField(root, before[root]),
            indexedValuesOfField(root, after[root]),
          );
        }
        applied.push({ twin: update.twin, fields: changed });
      }
      return applied;
    })();
  }

  async deleteTwin(id: string, expectedVersion?: number): Promise<RelationshipDoc[]> {
    return this.db.transaction(() => this.deleteTwinNow(id, expectedVersion).relationships)();
  }

  private deleteTwinNow(
    id: string,
    expectedVersion?: number,
  ): { twin: StoredTwin; relationships: RelationshipDoc[] } {
    const row = this.stmt.getTwin.get(id) as Row | undefined;
    if (row === undefined) throw twinNotFound(id);
    if (expectedVersion !== undefined && row.version !== expectedVersion) {
      throw versionMismatch(id, row.version as number, expectedVersion);
    }
    const pk = row.pk as number;
    const removed: RelationshipDoc[] = [];
    for (const rel of this.stmt.relationshipsOfTwin.all({ pk }) as Row[]) {
      this.stmt.deleteRelationship.run(rel.pk);
      removed.push(JSON.parse(rel.doc as string) as RelationshipDoc);
    }
    for (const [name, value] of indexedValues(JSON.parse(row.doc as string) as TwinDoc)) {
      this.stmt.deleteProp.run(name, value, pk);
    }
    this.stmt.deleteTwin.run(pk);
    return { twin: toStoredTwin(row), relationships: removed };
  }

  async countTwins(): Promise<number> {
    return this.stmt.countTwins.get() as number;
  }

  async getRelationship(source: string, relationshipId: string): Promise<StoredRelationship | undefined> {
    const sourcePk = this.stmt.pkOf.get(source) as number | undefined;
    if (sourcePk === undefined) return undefined;
    const row = this.stmt.getRelationship.get(sourcePk, relationshipId) as Row | undefined;
    if (row === undefined) return undefined;
    return { version: row.version as number, doc: JSON.parse(row.doc as string) as RelationshipDoc };
  }

  async insertRelationship(relationship: NewRelationship): Promise<StoredRelationship> {
    return this.db.transaction(() => {
      const sourcePk = this.stmt.pkOf.get(relationship.source) as number | undefined;
      if (sourcePk === undefined) throw twinNotFound(relationship.source);
      return this.insertRelationshipNow(relationship, sourcePk, this.targetPk(relationship.target));
    })();
  }

  private targetPk(target: string): number {
    const pk = this.stmt.pkOf.get(target) as number | undefined;
    if (pk === undefined) {
      throw new ValidationError('IMV_RELATIONSHIP_TARGET_MISSING', `Target twin ${target} does not exist`, {
        path: '/$targetId',
      });
    }
    return pk;
  }

  private insertRelationshipNow(
    rel: NewRelationship,
    sourcePk: number,
    targetPk: number,
  ): StoredRelationship {
    const doc = relationshipDoc(rel, 1);
    try {
      this.stmt.insertRelationship.run(sourcePk, rel.id, rel.name, targetPk, 1, JSON.stringify(doc));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          'IMV_RELATIONSHIP_EXISTS',
          `Twin ${rel.source} already has a relationship ${rel.id}`,
          { path: '/$relationshipId', cause: error },
        );
      }
      throw error;
    }
    return { version: 1, doc };
  }

  async replaceRelationship(doc: RelationshipDoc, expectedVersion: number): Promise<StoredRelationship> {
    return this.db.transaction(() => this.replaceRelationshipNow(doc, expectedVersion))();
  }

  private replaceRelationshipNow(doc: RelationshipDoc, expectedVersion: number): StoredRelationship {
    const { pk, version: current } = this.relationshipRow(doc.$sourceId, doc.$relationshipId);
    if (current !== expectedVersion) throw versionMismatch(doc.$relationshipId, current, expectedVersion);
    const version = current + 1;
    const next = { ...doc, $etag: `W/"${version}"` };
    this.stmt.updateRelationship.run(version, JSON.stringify(next), pk);
    return { version, doc: next };
  }

  private relationshipRow(
    source: string,
    relationshipId: string,
  ): { pk: number; version: number; doc: string } {
    const sourcePk = this.stmt.pkOf.get(source) as number | undefined;
    const row = (
      sourcePk === undefined ? undefined : this.stmt.getRelationship.get(sourcePk, relationshipId)
    ) as { pk: number; version: number; doc: string } | undefined;
    if (row === undefined) {
      throw new NotFoundError(
        'IMV_RELATIONSHIP_NOT_FOUND',
        `Twin ${source} has no relationship ${relationshipId}`,
      );
    }
    return row;
  }

  async deleteRelationship(
    source: string,
    relationshipId: string,
    expectedVersion?: number,
  ): Promise<RelationshipDoc> {
    return this.db.transaction(() => {
      const row = this.relationshipRow(source, relationshipId);
      if (expectedVersion !== undefined && row.version !== expectedVersion) {
        throw versionMismatch(relationshipId, row.version, expectedVersion);
      }
      this.stmt.deleteRelationship.run(row.pk);
      return JSON.parse(row.doc) as RelationshipDoc;
    })();
  }

  async listRelationships(
    twin: string,
    options: { direction: 'out' | 'in'; name?: string; offset: number; limit: number },
  ): Promise<RelationshipDoc[]> {
    const pk = this.stmt.pkOf.get(twin) as number | undefined;
    if (pk === undefined) throw twinNotFound(twin);
    const { direction, name, offset, limit } = options;
    const rows =
      name === undefined
        ? (direction === 'out' ? this.stmt.outgoing : this.stmt.incoming).all(pk, limit, offset)
        : (direction === 'out' ? this.stmt.outgoingNamed : this.stmt.incomingNamed).all(
            pk,
            name,
            limit,
            offset,
          );
    return (rows as string[]).map((doc) => JSON.parse(doc) as RelationshipDoc);
  }

  async scanTwinFields(fields: readonly string[], options: ScanOptions = {}): Promise<ScannedTwin[]> {
    if (fields.length === 0) throw new Error('scanTwinFields needs at least one field');
    const paths = fields.map((field) => {
      if (!FIELD_NAME.test(field)) throw new Error(`scanTwinFields: "${field}" is not a property name`);
      return `$.${field}`;
    });
    const range = scopeSql('id', options.scope);
    if (range === undefined) return [];
    // SQLite extracts every field in one parse of the document, in C: about twice as fast as
    // JSON.parse of whole documents, whose $metadata alone is larger than the fields asked for.
    const extract =
      paths.length === 1
        ? 'json_array(json_extract(doc, ?))'
        : `json_extract(doc, ${paths.map(() => '?').join(', ')})`;
    const rows = this.cached(
      `SELECT id, model, ${extract} AS v FROM twins WHERE ${range.sql} ORDER BY id`,
    ).all(...paths, ...range.params) as Array<{ id: string; model: string; v: string }>;
    return rows.map((row) => ({
      id: row.id,
      model: row.model,
      values: (JSON.parse(row.v) as unknown[]).map((value) => (value === null ? undefined : value)),
    }));
  }

  async scanRelationships(names: readonly string[], options: ScanOptions = {}): Promise<ScannedLink[]> {
    const range = scopeSql('s.id', options.scope);
    if (names.length === 0 || range === undefined) return [];
    return this.cached(
      `SELECT s.id AS source, r.name AS name, t.id AS target FROM relationships r ` +
        `JOIN twins s ON s.pk = r.source JOIN twins t ON t.pk = r.target ` +
        `WHERE r.name IN (${names.map(() => '?').join(', ')}) AND ${range.sql} ORDER BY r.pk`,
    ).all(...names, ...range.params) as ScannedLink[];
  }

  async scanTwins(options: ScanOptions): Promise<StoredTwin[]> {
    const range = scopeSql('id', options.scope);
    if (range === undefined) return [];
    const rows = this.cached(`SELECT id, model, version, doc FROM twins WHERE ${range.sql} ORDER BY id`).all(
      ...range.params,
    ) as Row[];
    return rows.map(toStoredTwin);
  }

  async scanRelationshipDocs(options: ScanOptions): Promise<RelationshipDoc[]> {
    const range = scopeSql('s.id', options.scope);
    if (range === undefined) return [];
    const rows = this.cached(
      `SELECT r.doc AS doc FROM relationships r JOIN twins s ON s.pk = r.source WHERE ${range.sql} ORDER BY r.pk`,
    ).all(...range.params) as Array<{ doc: string }>;
    return rows.map((row) => JSON.parse(row.doc) as RelationshipDoc);
  }

  /** Prepared statements of SQL built from a few shapes (field and prefix counts), kept for reuse. */
  private cached(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= 64) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async query(query: CompiledQuery, limit: number): Promise<{ items: unknown[]; more: boolean }> {
    const rows = this.db.prepare(query.sql).all(...query.params) as Row[];
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map((row) => query.toItem(row));
    return { items, more };
  }

  async traverse(start: string, options: TraverseOptions): Promise<TraversedTwin[]> {
    const pk = this.stmt.pkOf.get(start) as number | undefined;
    if (pk === undefined) throw twinNotFound(start);
    const statement = options.direction === 'out' ? this.stmt.traverseOut : this.stmt.traverseIn;
    const rows = statement.all({
      start: pk,
      name: options.relationship,
      maxDepth: options.maxDepth,
      limit: options.limit,
    }) as Row[];
    return rows.map((row) => ({
      depth: row.depth as number,
      twin: JSON.parse(row.doc as string) as TwinDoc,
    }));
  }

  async applyChanges(changes: ChangeSet): Promise<AppliedChanges> {
    return this.db.transaction((): AppliedChanges => {
      if (changes.models.length > 0) this.insertModelsNow(changes.models);
      const deletedRelationships: RelationshipDoc[] = [];
      for (const { source, id } of changes.deleteRelationships) {
        const row = this.relationshipRow(source, id);
        this.stmt.deleteRelationship.run(row.pk);
        deletedRelationships.push(JSON.parse(row.doc) as RelationshipDoc);
      }
      const deletedTwins: StoredTwin[] = [];
      for (const id of changes.deleteTwins) {
        const { twin, relationships } = this.deleteTwinNow(id);
        deletedTwins.push(twin);
        deletedRelationships.push(...relationships);
      }
      const insertedTwins = changes.insertTwins.map((draft) => this.insertTwinNow(draft));
      const replacedTwins = changes.replaceTwins.map(({ draft, expectedVersion }) =>
        this.replaceTwinNow(draft, expectedVersion),
      );
      const insertedRelationships = changes.insertRelationships.map((rel) => {
        const sourcePk = this.stmt.pkOf.get(rel.source) as number | undefined;
        if (sourcePk === undefined) throw twinNotFound(rel.source);
        return this.insertRelationshipNow(rel, sourcePk, this.targetPk(rel.target));
      });
      const replacedRelationships = changes.replaceRelationships.map(({ doc, expectedVersion }) =>
        this.replaceRelationshipNow(doc, expectedVersion),
      );
      return {
        deletedRelationships,
        deletedTwins,
        insertedTwins,
        replacedTwins,
        insertedRelationships,
        replacedRelationships,
      };
    })();
  }

  async bulkInsert(
    twins: readonly TwinDraft[],
    relationships: readonly NewRelationship[],
    onProgress?: (progress: BulkProgress) => void,
  ): Promise<void> {
    // One transaction for the whole batch: a failure leaves the store as it was. Primary keys
    // are assigned here so that twins, their index rows and relationships go in multi-row INSERTs.
    this.db.transaction(() => {
      const pks = new Map<string, number>();
      let nextPk = (this.stmt.maxPk.get() as number) + 1;
      const twinRows = new RowBatcher(
        this.db,
        'INSERT INTO twins (pk, id, model, version, doc) VALUES',
        5,
        100,
      );
      const propRows = new RowBatcher(
        this.db,
        'INSERT OR IGNORE INTO twin_props (name, value, twin) VALUES',
        3,
        300,
      );
      const flushTwins = () => {
        try {
          twinRows.flush();
        } catch (error) {
          throw isUniqueViolation(error) ? this.existingTwinError(twinRows.pending(), twins, error) : error;
        }
      };
      for (let i = 0; i < twins.length; i++) {
        const doc = withEtag(twins[i]!, 1);
        if (pks.has(doc.$dtId)) {
          throw new ConflictError('IMV_TWIN_EXISTS', `Twin ${doc.$dtId} appears twice in the batch`, {
            path: `/twins/${i}/$dtId`,
          });
        }
        const pk = nextPk++;
        pks.set(doc.$dtId, pk);
        if (twinRows.size === 99) flushTwins();
        twinRows.add(pk, doc.$dtId, doc.$metadata.$model, 1, JSON.stringify(doc));
        for (const [name, value] of indexedValues(doc)) propRows.add(name, value, pk);
        if ((i + 1) % BULK_CHUNK === 0) onProgress?.({ twins: i + 1, relationships: 0 });
      }
      flushTwins();
      propRows.flush();

      const pkOf = (id: string): number | undefined =>
        pks.get(id) ?? (this.stmt.pkOf.get(id) as number | undefined);
      const relRows = new RowBatcher(
        this.db,
        'INSERT INTO relationships (source, id, name, target, version, doc) VALUES',
        6,
        100,
      );
      const flushRelationships = () => {
        try {
          relRows.flush();
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          throw new ConflictError(
            'IMV_RELATIONSHIP_EXISTS',
            'A relationship id appears twice for one source twin',
            {
              cause: error,
            },
          );
        }
      };
      for (let i = 0; i < relationships.length; i++) {
        const rel = relationships[i]!;
        const sourcePk = pkOf(rel.source);
        if (sourcePk === undefined) {
          throw new ValidationError(
            'IMV_RELATIONSHIP_TARGET_MISSING',
            `Source twin ${rel.source} does not exist`,
            {
              path: `/relationships/${i}/$sourceId`,
            },
          );
        }
        const targetPk = pkOf(rel.target);
        if (targetPk === undefined) {
          throw new ValidationError(
            'IMV_RELATIONSHIP_TARGET_MISSING',
            `Target twin ${rel.target} does not exist`,
            {
              path: `/relationships/${i}/$targetId`,
            },
          );
        }
        if (relRows.size === 99) flushRelationships();
        relRows.add(sourcePk, rel.id, rel.name, targetPk, 1, JSON.stringify(relationshipDoc(rel, 1)));
        if ((i + 1) % BULK_CHUNK === 0) onProgress?.({ twins: twins.length, relationships: i + 1 });
      }
      flushRelationships();
    })();
    onProgress?.({ twins: twins.length, relationships: relationships.length });
  }

  /** Names the twin of a failed multi-row insert that already exists. */
  private existingTwinError(rows: unknown[][], twins: readonly TwinDraft[], cause: unknown): ConflictError {
    const existing = rows.map((row) => row[1] as string).find((id) => this.stmt.pkOf.get(id) !== undefined);
    const index = twins.findIndex((twin) => twin.$dtId === existing);
    return new ConflictError('IMV_TWIN_EXISTS', `Twin ${existing ?? '(one of the batch)'} already exists`, {
      path: index >= 0 ? `/twins/${index}/$dtId` : '/twins',
      cause,
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** A top-level property name: safe inside a JSON path. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function toStoredTwin(row: Row): StoredTwin {
  return {
    id: row.id as string,
    model: row.model as string,
    version: row.version as number,
    doc: JSON.parse(row.doc as string) as TwinDoc,
  };
}

function twinNotFound(id: string): NotFoundError {
  return new NotFoundError('IMV_TWIN_NOT_FOUND', `Twin ${id} not found`);
}

function versionMismatch(id: string, current: number, expected: number): PreconditionFailedError {
  return new PreconditionFailedError(
    `${id} is at version W/"${current}", not the W/"${expected}" given in If-Match`,
    { path: '/If-Match' },
  );
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    ((error as { code: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' ||
      (error as { code: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}
