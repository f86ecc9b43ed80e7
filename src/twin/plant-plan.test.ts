import { describe, expect, it } from 'vitest';
import type { RelationshipDoc } from '../core/wire.js';
import { relationshipDoc, withEtag } from './doc.js';
import { planPlant, type StoredPlant } from './plant-plan.js';
import type { NewRelationship, StoredTwin, TwinDraft } from './store.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-02-01T00:00:00.000Z';
const STATION = 'dtmi:imverse:Station;1';

function draft(id: string, fields: Record<string, unknown>, model = STATION): TwinDraft {
  const metadata: TwinDraft['$metadata'] = { $model: model, $lastUpdateTime: T1 };
  for (const field of Object.keys(fields)) metadata[field] = { lastUpdateTime: T1 };
  return { $dtId: id, $metadata: metadata, ...fields };
}

function stored(id: string, fields: Record<string, unknown>, version = 3, model = STATION): StoredTwin {
  const metadata: TwinDraft['$metadata'] = { $model: model, $lastUpdateTime: T0 };
  for (const field of Object.keys(fields)) metadata[field] = { lastUpdateTime: T0, sourceTime: T0 };
  return { id, model, version, doc: withEtag({ $dtId: id, $metadata: metadata, ...fields }, version) };
}

const rel = (source: string, id: string, target: string, properties = {}): NewRelationship => ({
  source,
  id,
  name: 'feeds',
  target,
  properties,
});
const storedRel = (r: NewRelationship, version = 1): RelationshipDoc => relationshipDoc(r, version);

function storedPlant(
  twins: StoredTwin[],
  outgoing: RelationshipDoc[] = [],
  others: string[] = [],
): StoredPlant {
  const bySource = new Map<string, RelationshipDoc[]>();
  for (const doc of outgoing) bySource.set(doc.$sourceId, [...(bySource.get(doc.$sourceId) ?? []), doc]);
  return {
    twins: new Map(twins.map((twin) => [twin.id, twin])),
    outgoing: bySource,
    underPrefix: [...twins.map((twin) => twin.id), ...others].sort(),
  };
}

describe('planPlant', () => {
  it('changes nothing when the file matches what is stored', () => {
    const plan = planPlant(
      { drafts: [draft('P/a', { name: 'A' }), draft('P/b', {})], relationships: [rel('P/a', 'f1', 'P/b')] },
      storedPlant([stored('P/a', { name: 'A' }), stored('P/b', {})], [storedRel(rel('P/a', 'f1', 'P/b'))]),
      { prune: false, time: T1 },
    );
    expect(plan.summary.twins).toEqual({ create: [], update: [], delete: [], keep: [], unchanged: 2 });
    expect(plan.summary.relationships).toMatchObject({ add: [], update: [], remove: [], unchanged: 1 });
    expect(Object.values(plan.changes).every((list) => list.length === 0)).toBe(true);
  });

  it('updates only the properties the file names, keeping values devices wrote', () => {
    const plan = planPlant(
      { drafts: [draft('P/a', { name: 'Filler 1', cycleTime: 2.5 })], relationships: [] },
      storedPlant([
        stored('P/a', { name: 'Filler', cycleTime: 2.5, state: 'running', temperature: 61.2 }, 7),
      ]),
      { prune: false, time: T1 },
    );
    expect(plan.summary.twins.update).toEqual([{ id: 'P/a', fields: ['name'] }]);
    const [{ draft: next, expectedVersion }] = plan.changes.replaceTwins as [
      { draft: TwinDraft; expectedVersion: number },
    ];
    expect(expectedVersion).toBe(7);
    expect(next).toMatchObject({ name: 'Filler 1', cycleTime: 2.5, state: 'running', temperature: 61.2 });
    expect(next.$metadata.name).toEqual({ lastUpdateTime: T1 });
    // Untouched fields keep their metadata, device source times included.
    expect(next.$metadata.state).toEqual({ lastUpdateTime: T0, sourceTime: T0 });
    expect(next).not.toHaveProperty('$etag');
  });

  it('replaces the content of a twin whose model changed', () => {
    const plan = planPlant(
      { drafts: [draft('P/a', { name: 'Capper' }, 'dtmi:acme:Capper;1')], relationships: [] },
      storedPlant([stored('P/a', { name: 'Capper', state: 'down' })]),
      { prune: false, time: T1 },
    );
    expect(plan.summary.twins.update).toEqual([
      { id: 'P/a', fields: ['name'], model: { from: STATION, to: 'dtmi:acme:Capper;1' } },
    ]);
    expect(plan.changes.replaceTwins[0]?.draft).not.toHaveProperty('state');
  });

  it('creates new twins and keeps twins the file no longer names unless pruning', () => {
    const desired = { drafts: [draft('P/a', {}), draft('P/new', {})], relationships: [] };
    const current = storedPlant([stored('P/a', {})], [], ['P/gone']);
    const kept = planPlant(desired, current, { prune: false, time: T1 });
    expect(kept.summary.twins).toMatchObject({ create: ['P/new'], delete: [], keep: ['P/gone'] });
    expect(kept.changes.deleteTwins).toEqual([]);
    const pruned = planPlant(desired, current, { prune: true, time: T1 });
    expect(pruned.summary.twins).toMatchObject({ delete: ['P/gone'], keep: [] });
    expect(pruned.changes.deleteTwins).toEqual(['P/gone']);
  });

  it('makes the relationships from a named twin exactly the file’s', () => {
    const moved = rel('P/a', 'f1', 'P/c');
    const plan = planPlant(
      {
        drafts: [draft('P/a', {}), draft('P/b', {}), draft('P/c', {})],
        relationships: [moved, rel('P/a', 'f2', 'P/b', { transport: 'agv' }), rel('P/b', 'f3', 'P/c')],
      },
      storedPlant(
        [stored('P/a', {}), stored('P/b', {}), stored('P/c', {})],
        [
          storedRel(rel('P/a', 'f1', 'P/b')),
          storedRel(rel('P/a', 'f2', 'P/b', { transport: 'direct' }), 4),
          storedRel(rel('P/a', 'old', 'P/c')),
        ],
      ),
      { prune: false, time: T1 },
    );
    const ids = (list: ReadonlyArray<{ source: string; id: string }>) =>
      list.map((r) => `${r.source}#${r.id}`);
    // A changed target is a new relationship: the old one goes, the new one comes.
    expect(ids(plan.summary.relationships.remove).sort()).toEqual(['P/a#f1', 'P/a#old']);
    expect(ids(plan.summary.relationships.add).sort()).toEqual(['P/a#f1', 'P/b#f3']);
    expect(ids(plan.summary.relationships.update)).toEqual(['P/a#f2']);
    expect(plan.changes.replaceRelationships[0]).toMatchObject({
      expectedVersion: 4,
      doc: { $relationshipId: 'f2', transport: 'agv' },
    });
  });

  it('leaves relationships to a pruned twin to the store, which deletes them with it', () => {
    const plan = planPlant(
      { drafts: [draft('P/a', {})], relationships: [] },
      storedPlant([stored('P/a', {})], [storedRel(rel('P/a', 'f1', 'P/gone'))], ['P/gone']),
      { prune: true, time: T1 },
    );
    expect(plan.changes.deleteRelationships).toEqual([]);
    expect(plan.changes.deleteTwins).toEqual(['P/gone']);
  });
});
