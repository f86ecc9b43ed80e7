// The contract every TwinStore adapter passes: `runTwinStoreContract(name, makeStore)` in a test file.
import { EVERY_TWIN, subtreesScope, type SubtreeScope } from '../access/access-view.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TwinDraft, TwinStore } from './store.js';

const MODEL = 'dtmi:test:Thing;1';
const now = '2026-01-01T00:00:00.000Z';

export function draft(id: string, fields: Record<string, unknown> = {}, model = MODEL): TwinDraft {
  const metadata: Record<string, { lastUpdateTime: string }> = {};
  for (const key of Object.keys(fields)) metadata[key] = { lastUpdateTime: now };
  return { $dtId: id, $metadata: { $model: model, $lastUpdateTime: now, ...metadata }, ...fields };
}

const rel = (
  source: string,
  id: string,
  name: string,
  target: string,
  properties: Record<string, unknown> = {},
) => ({
  id,
  source,
  name,
  target,
  properties,
});

export function runTwinStoreContract(name: string, makeStore: () => Promise<TwinStore>): void {
  describe(`TwinStore contract: ${name}`, () => {
    let store: TwinStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores a twin at version 1 with a weak ETag and reads it back', async () => {
      const created = await store.insertTwin(draft('P/a', { temperature: 21.5, name: 'A' }));
      expect(created.version).toBe(1);
      expect(created.doc.$etag).toBe('W/"1"');
      const read = await store.getTwin('P/a');
      expect(read?.doc).toEqual(created.doc);
      expect(read?.model).toBe(MODEL);
      expect(await store.getTwin('P/missing')).toBeUndefined();
      const raw = await store.getTwinJson('P/a');
      expect(raw?.version).toBe(1);
      expect(JSON.parse(raw!.json)).toEqual(created.doc);
      expect(await store.getTwinJson('P/missing')).toBeUndefined();
    });

    it('refuses a duplicate twin and keeps the first', async () => {
      await store.insertTwin(draft('P/a', { name: 'first' }));
      await expect(store.insertTwin(draft('P/a', { name: 'second' }))).rejects.toMatchObject({
        code: 'IMV_TWIN_EXISTS',
      });
      expect((await store.getTwin('P/a'))?.doc.name).toBe('first');
    });

    it('replaces only at the expected version (optimistic concurrency)', async () => {
      await store.insertTwin(draft('P/a', { name: 'v1' }));
      const v2 = await store.replaceTwin(draft('P/a', { name: 'v2' }), 1);
      expect(v2.version).toBe(2);
      expect(v2.doc.$etag).toBe('W/"2"');
      await expect(store.replaceTwin(draft('P/a', { name: 'stale' }), 1)).rejects.toMatchObject({
        code: 'IMV_PRECONDITION_FAILED',
      });
      expect((await store.getTwin('P/a'))?.doc.name).toBe('v2');
      await expect(store.replaceTwin(draft('P/none'), 1)).rejects.toMatchObject({
        code: 'IMV_TWIN_NOT_FOUND',
      });
    });

    it('applies device field updates in order of source time, without a new version', async () => {
      await store.insertTwin(draft('P/m', { temperature: 20 }));
      const t1 = '2026-01-01T00:00:01.000Z';
      const t0 = '2026-01-01T00:00:00.000Z';
      const applied = await store.applyFieldUpdates(
        [
          { twin: 'P/m', fields: [{ field: 'temperature', value: 21.5, sourceTime: t1 }] },
          { twin: 'P/missing', fields: [{ field: 'temperature', value: 1, sourceTime: t1 }] },
        ],
        now,
      );
      expect(applied.map((u) => u.twin)).toEqual(['P/m']);
      // An older point arriving late does not overwrite newer state.
      await store.applyFieldUpdates(
        [{ twin: 'P/m', fields: [{ field: 'temperature', value: 19, sourceTime: t0 }] }],
        now,
      );
      const twin = await store.getTwin('P/m');
      expect(twin?.version).toBe(1);
      expect(twin?.doc.temperature).toBe(21.5);
      expect(twin?.doc.$metadata.temperature).toEqual({ lastUpdateTime: now, sourceTime: t1 });
    });

    it('keeps relationships referentially intact', async () => {
      await store.insertTwin(draft('P/line'));
      await store.insertTwin(draft('P/st1'));
      const created = await store.insertRelationship(rel('P/line', 'c1', 'contains', 'P/st1', { order: 1 }));
      expect(created.doc).toMatchObject({
        $relationshipId: 'c1',
        $sourceId: 'P/line',
        $targetId: 'P/st1',
        $relationshipName: 'contains',
        $etag: 'W/"1"',
        order: 1,
      });
      await expect(
        store.insertRelationship(rel('P/line', 'c2', 'contains', 'P/ghost')),
      ).rejects.toMatchObject({
        code: 'IMV_RELATIONSHIP_TARGET_MISSING',
      });
      await expect(store.insertRelationship(rel('P/ghost', 'c3', 'contains', 'P/st1'))).rejects.toMatchObject(
        {
          code: 'IMV_TWIN_NOT_FOUND',
        },
      );
      await expect(store.insertRelationship(rel('P/line', 'c1', 'contains', 'P/st1'))).rejects.toMatchObject({
        code: 'IMV_RELATIONSHIP_EXISTS',
      });
      expect(
        await store.listRelationships('P/line', { direction: 'out', offset: 0, limit: 10 }),
      ).toHaveLength(1);
      expect(await store.listRelationships('P/st1', { direction: 'in', offset: 0, limit: 10 })).toHaveLength(
        1,
      );
    });

    it('deletes a twin with every relationship from or to it', async () => {
      for (const id of ['P/a', 'P/b', 'P/c']) await store.insertTwin(draft(id));
      await store.insertRelationship(rel('P/a', 'r1', 'feeds', 'P/b'));
      await store.insertRelationship(rel('P/b', 'r2', 'feeds', 'P/c'));
      const removed = await store.deleteTwin('P/b');
      expect(removed.map((r) => r.$relationshipId).sort()).toEqual(['r1', 'r2']);
      expect(await store.getTwin('P/b')).toBeUndefined();
      expect(await store.listRelationships('P/a', { direction: 'out', offset: 0, limit: 10 })).toEqual([]);
      await expect(store.deleteTwin('P/b')).rejects.toMatchObject({ code: 'IMV_TWIN_NOT_FOUND' });
    });

    it('replaces and deletes a relationship at the expected version', async () => {
      await store.insertTwin(draft('P/a'));
      await store.insertTwin(draft('P/b'));
      const { doc } = await store.insertRelationship(rel('P/a', 'r', 'feeds', 'P/b', { rate: 1 }));
      const replaced = await store.replaceRelationship({ ...doc, rate: 2 }, 1);
      expect(replaced).toMatchObject({ version: 2, doc: { rate: 2, $etag: 'W/"2"' } });
      await expect(store.replaceRelationship({ ...doc, rate: 3 }, 1)).rejects.toMatchObject({
        code: 'IMV_PRECONDITION_FAILED',
      });
      await expect(store.deleteRelationship('P/a', 'r', 1)).rejects.toMatchObject({
        code: 'IMV_PRECONDITION_FAILED',
      });
      await store.deleteRelationship('P/a', 'r', 2);
      expect(await store.getRelationship('P/a', 'r')).toBeUndefined();
    });

    it('traverses containment down and material flow upstream, with depths', async () => {
      // line contains st1, st2; st1 contains sensor; a feeds b feeds c
      for (const id of ['P/line', 'P/st1', 'P/st2', 'P/sensor', 'P/a', 'P/b', 'P/c'])
        await store.insertTwin(draft(id));
      await store.insertRelationship(rel('P/line', 'c1', 'contains', 'P/st1'));
      await store.insertRelationship(rel('P/line', 'c2', 'contains', 'P/st2'));
      await store.insertRelationship(rel('P/st1', 'c3', 'contains', 'P/sensor'));
      await store.insertRelationship(rel('P/a', 'f1', 'feeds', 'P/b'));
      await store.insertRelationship(rel('P/b', 'f2', 'feeds', 'P/c'));
      const down = await store.traverse('P/line', {
        relationship: 'contains',
        direction: 'out',
        maxDepth: 10,
        limit: 100,
      });
      expect(down.map((t) => [t.twin.$dtId, t.depth])).toEqual([
        ['P/st1', 1],
        ['P/st2', 1],
        ['P/sensor', 2],
      ]);
      const shallow = await store.traverse('P/line', {
        relationship: 'contains',
        direction: 'out',
        maxDepth: 1,
        limit: 100,
      });
      expect(shallow).toHaveLength(2);
      const upstream = await store.traverse('P/c', {
        relationship: 'feeds',
        direction: 'in',
        maxDepth: 10,
        limit: 100,
      });
      expect(upstream.map((t) => t.twin.$dtId)).toEqual(['P/b', 'P/a']);
    });

    it('terminates traversal on cycles', async () => {
      for (const id of ['P/a', 'P/b']) await store.insertTwin(draft(id));
      await store.insertRelationship(rel('P/a', 'f1', 'feeds', 'P/b'));
      await store.insertRelationship(rel('P/b', 'f2', 'feeds', 'P/a'));
      const result = await store.traverse('P/a', {
        relationship: 'feeds',
        direction: 'out',
        maxDepth: 50,
        limit: 100,
      });
      expect(result.map((t) => t.twin.$dtId).sort()).toEqual(['P/a', 'P/b']);
    });

    it('bulk-inserts all or nothing', async () => {
      await store.insertTwin(draft('P/existing'));
      const twins = Array.from({ length: 50 }, (_, i) => draft(`P/t${i}`, { n: i }));
      const rels = twins.slice(1).map((t, i) => rel('P/existing', `r${i}`, 'contains', t.$dtId));
      await store.bulkInsert(twins, rels);
      expect(await store.countTwins()).toBe(51);
      expect(
        await store.listRelationships('P/existing', { direction: 'out', offset: 0, limit: 100 }),
      ).toHaveLength(49);
      // A bad batch (dangling target) leaves nothing behind.
      await expect(
        store.bulkInsert([draft('P/new')], [rel('P/new', 'x', 'feeds', 'P/nowhere')]),
      ).rejects.toMatchObject({ code: 'IMV_RELATIONSHIP_TARGET_MISSING' });
      expect(await store.getTwin('P/new')).toBeUndefined();
      await expect(store.bulkInsert([draft('P/t3')], [])).rejects.toMatchObject({ code: 'IMV_TWIN_EXISTS' });
    });

    it('scans fields of every twin in id order, and relationships by name, within prefixes', async () => {
      await store.bulkInsert(
        [
          draft('Q/b', { name: 'B', layout: { x: 1, y: 2 }, state: 'down' }),
          draft('P/line', { name: 'Line' }),
          draft('P/st', { name: 'St', layout: { x: 3, y: 4 }, state: 'running', big: 'x'.repeat(1000) }),
          draft('P0/other', { name: 'Other' }),
        ],
        [
          rel('P/line', 'c1', 'contains', 'P/st'),
          rel('P/line', 'f1', 'feeds', 'P/st'),
          rel('Q/b', 'h1', 'hosts', 'P/st'),
        ],
      );
      const all = await store.scanTwinFields(['name', 'layout', 'state']);
      expect(all.map((t) => t.id)).toEqual(['P/line', 'P/st', 'P0/other', 'Q/b']);
      expect(all[1]).toEqual({ id: 'P/st', model: MODEL, values: ['St', { x: 3, y: 4 }, 'running'] });
      expect(all[0]!.values).toEqual(['Line', undefined, undefined]);
      expect((await store.scanTwinFields(['name'])).map((t) => t.values)).toEqual([
        ['Line'],
        ['St'],
        ['Other'],
        ['B'],
      ]);
      // A prefix is a whole segment: P does not take in P0.
      const scoped = await store.scanTwinFields(['name'], { scope: subtreesScope(['P', 'Q']) });
      expect(scoped.map((t) => t.id)).toEqual(['P/line', 'P/st', 'Q/b']);
      expect(await store.scanTwinFields(['name'], { scope: subtreesScope([]) })).toEqual([]);

      const links = await store.scanRelationships(['contains', 'hosts']);
      expect(links).toEqual([
        { source: 'P/line', name: 'contains', target: 'P/st' },
        { source: 'Q/b', name: 'hosts', target: 'P/st' },
      ]);
      expect(await store.scanRelationships(['contains', 'hosts'], { scope: subtreesScope(['Q']) })).toEqual([
        { source: 'Q/b', name: 'hosts', target: 'P/st' },
      ]);
      expect(await store.scanRelationships([])).toEqual([]);
    });

    it('stores and deletes models in upload order', async () => {
      await store.insertModels([
        { id: 'dtmi:a;1', document: { '@id': 'dtmi:a;1' }, uploadTime: now },
        { id: 'dtmi:b;1', document: { '@id': 'dtmi:b;1' }, uploadTime: now },
      ]);
      await expect(
        store.insertModels([{ id: 'dtmi:a;1', document: {}, uploadTime: now }]),
      ).rejects.toMatchObject({
        code: 'IMV_MODEL_EXISTS',
      });
      expect((await store.listModels()).map((m) => m.id)).toEqual(['dtmi:a;1', 'dtmi:b;1']);
      await store.deleteModel('dtmi:a;1');
      expect((await store.listModels()).map((m) => m.id)).toEqual(['dtmi:b;1']);
      await store.insertTwin(draft('P/x', {}, 'dtmi:b;1'));
      expect(await store.countTwinsOfModels(['dtmi:b;1', 'dtmi:c;1'])).toBe(1);
    });
    it('scans within a scope of shared subtrees and the exceptions inside them', async () => {
      for (const id of [
        'P/line',
        'P/line/a',
        'P/line/secret',
        'P/line/secret/open',
        'P/line2',
        'Q/x',
        'Q/y/z',
      ]) {
        await store.insertTwin(draft(id));
      }
      const ids = async (scope: SubtreeScope) => (await store.scanTwins({ scope })).map((t) => t.id);
      // P/line and below, less P/line/secret, but P/line/secret/open again; and Q/y/z alone.
      const shared: SubtreeScope = {
        allowAll: false,
        exceptions: [
          {
            subtree: 'P/line',
            allow: true,
            within: [
              {
                subtree: 'P/line/secret',
                allow: false,
                within: [{ subtree: 'P/line/secret/open', allow: true, within: [] }],
              },
            ],
          },
          { subtree: 'Q/y/z', allow: true, within: [] },
        ],
      };
      expect(await ids(shared)).toEqual(['P/line', 'P/line/a', 'P/line/secret/open', 'Q/y/z']);
      // Everything but one tenant.
      const allButQ: SubtreeScope = {
        allowAll: true,
        exceptions: [{ subtree: 'Q', allow: false, within: [] }],
      };
      expect(await ids(allButQ)).toEqual([
        'P/line',
        'P/line/a',
        'P/line/secret',
        'P/line/secret/open',
        'P/line2',
      ]);
      expect(await ids(EVERY_TWIN)).toHaveLength(7);
    });

    it('scans whole twins and relationships under prefixes', async () => {
      await store.insertTwin(draft('P/a', { name: 'A' }));
      await store.insertTwin(draft('P/b'));
      await store.insertTwin(draft('Q/c'));
      await store.insertRelationship(rel('P/a', 'r1', 'feeds', 'P/b', { share: 0.5 }));
      await store.insertRelationship(rel('Q/c', 'r2', 'feeds', 'P/a'));
      const twins = await store.scanTwins({ scope: subtreesScope(['P']) });
      expect(twins.map((t) => t.id)).toEqual(['P/a', 'P/b']);
      expect(twins[0]).toEqual(await store.getTwin('P/a'));
      const docs = await store.scanRelationshipDocs({ scope: subtreesScope(['P']) });
      expect(docs).toEqual([(await store.getRelationship('P/a', 'r1'))!.doc]);
      expect((await store.scanRelationshipDocs({})).map((d) => d.$relationshipId)).toEqual(['r1', 'r2']);
      expect(await store.scanTwins({ scope: subtreesScope([]) })).toEqual([]);
    });

    it('applies a change set in one transaction, and nothing of it when one change fails', async () => {
      await store.insertTwin(draft('P/line', { name: 'Line' }));
      await store.insertTwin(draft('P/old', { name: 'Old' }));
      await store.insertTwin(draft('P/keep', { name: 'Keep' }));
      await store.insertRelationship(rel('P/line', 'c-old', 'contains', 'P/old'));
      await store.insertRelationship(rel('P/line', 'c-keep', 'contains', 'P/keep'));
      const empty = {
        models: [],
        deleteRelationships: [],
        deleteTwins: [],
        insertTwins: [],
        replaceTwins: [],
        insertRelationships: [],
        replaceRelationships: [],
      };
      const failing = {
        ...empty,
        models: [{ id: 'dtmi:x;1', document: {}, uploadTime: now }],
        deleteTwins: ['P/old'],
        insertTwins: [draft('P/new')],
        // Stale: the twin is at version 1.
        replaceTwins: [{ draft: draft('P/keep', { name: 'Kept' }), expectedVersion: 7 }],
      };
      await expect(store.applyChanges(failing)).rejects.toMatchObject({ code: 'IMV_PRECONDITION_FAILED' });
      expect(await store.getTwin('P/old')).toBeDefined();
      expect(await store.getTwin('P/new')).toBeUndefined();
      expect(await store.listModels()).toEqual([]);
      expect(await store.getRelationship('P/line', 'c-old')).toBeDefined();

      const applied = await store.applyChanges({
        ...empty,
        models: [{ id: 'dtmi:x;1', document: {}, uploadTime: now }],
        deleteRelationships: [{ source: 'P/line', id: 'c-keep' }],
        deleteTwins: ['P/old'],
        insertTwins: [draft('P/new', { name: 'New' })],
        replaceTwins: [{ draft: draft('P/keep', { name: 'Kept' }), expectedVersion: 1 }],
        insertRelationships: [rel('P/line', 'c-new', 'contains', 'P/new')],
      });
      expect(applied.deletedTwins.map((t) => t.id)).toEqual(['P/old']);
      expect(applied.deletedRelationships.map((r) => r.$relationshipId).sort()).toEqual(['c-keep', 'c-old']);
      expect(applied.insertedTwins.map((t) => t.id)).toEqual(['P/new']);
      expect(applied.replacedTwins[0]).toMatchObject({ id: 'P/keep', version: 2 });
      expect(applied.insertedRelationships[0]?.doc.$targetId).toBe('P/new');
      expect(await store.getTwin('P/old')).toBeUndefined();
      expect((await store.getTwin('P/keep'))?.doc.name).toBe('Kept');
      expect((await store.listModels()).map((m) => m.id)).toEqual(['dtmi:x;1']);
      const contained = await store.listRelationships('P/line', { direction: 'out', offset: 0, limit: 10 });
      expect(contained.map((r) => r.$targetId)).toEqual(['P/new']);
      // The property index follows: the replaced twin is found by its new name.
      const scanned = await store.scanTwinFields(['name']);
      expect(scanned.map((t) => t.values[0])).toEqual(['Kept', 'Line', 'New']);
    });
  });
}
