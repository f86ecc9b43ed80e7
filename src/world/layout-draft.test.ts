import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyUpdate, Doc, encodeStateAsUpdate, Map as YMap } from 'yjs';
import type { WorldObject } from '../core/wire.js';
import { DraftDoc } from '../core/wire-draft.js';
import { draftChangeCount, readDraft, resolveDraft } from './layout-draft.js';

const LAYOUT = { x: 10, y: 20, z: 0, rotation: 0, width: 2, depth: 3, height: 1 };
const PLANT: WorldObject[] = [
  { id: 'p/a', name: 'A', kind: 'machine', model: 'dtmi:m;1', layout: LAYOUT },
  { id: 'p/b', name: 'B', kind: 'station', model: 'dtmi:s;1', layout: { ...LAYOUT, x: 30 } },
  { id: 'p/line', name: 'Line', kind: 'line', model: 'dtmi:l;1' },
];

/** Sets fields of one object of a draft, bypassing DraftDoc (to write what a browser would not). */
function edit(doc: Doc, id: string, fields: Record<string, unknown>): void {
  doc.transact(() => {
    const objects = doc.getMap<YMap<unknown>>('objects');
    let entry = objects.get(id);
    if (!entry) objects.set(id, (entry = new YMap()));
    for (const [key, value] of Object.entries(fields)) entry.set(key, value);
  });
}

describe('layout draft', () => {
  it('reads overrides, removals and added equipment', () => {
    const doc = new Doc();
    edit(doc, 'p/a', { x: 12, rotation: -90 });
    edit(doc, 'p/b', { removed: true });
    edit(doc, 'draft:1', {
      kind: 'robot',
      name: 'New robot',
      x: 1,
      y: 2,
      rotation: 0,
      width: 1,
      depth: 1,
      height: 2,
    });
    const draft = readDraft(doc);
    expect(draft.overrides).toEqual({ 'p/a': { x: 12, rotation: 270 }, 'p/b': { removed: true } });
    expect(draft.added['draft:1']).toMatchObject({ kind: 'robot', name: 'New robot', height: 2 });
    expect(draftChangeCount(draft)).toBe(3);
  });

  it('refuses values that are not a layout, naming each', () => {
    const doc = new Doc();
    edit(doc, 'p/a', { x: 'east', width: -1 });
    edit(doc, 'draft:2', {
      kind: 'spaceship',
      name: '',
      x: 0,
      y: 0,
      rotation: 0,
      width: 1,
      depth: 1,
      height: 1,
    });
    try {
      readDraft(doc);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'IMV_LAYOUT_DRAFT_INVALID' });
      const paths = (error as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/objects/p~1a/x',
          '/objects/p~1a/width',
          '/objects/draft:2/kind',
          '/objects/draft:2/name',
        ]),
      );
    }
  });

  it('resolves a draft against the plant: fields replaced, unplaced twins left out', () => {
    const doc = new Doc();
    edit(doc, 'p/a', { x: 12 });
    edit(doc, 'p/line', { x: 5 });
    edit(doc, 'p/gone', { y: 5 });
    const { objects, unknown } = resolveDraft(readDraft(doc), PLANT);
    expect(objects).toEqual([
      {
        id: 'p/a',
        name: 'A',
        kind: 'machine',
        change: 'changed',
        layout: { x: 12, y: 20, rotation: 0, width: 2, depth: 3, height: 1 },
        before: { x: 10, y: 20, rotation: 0, width: 2, depth: 3, height: 1 },
      },
    ]);
    expect(unknown.sort()).toEqual(['p/gone', 'p/line']);
  });

  it('merges concurrent moves and turns of the same or different equipment in any order (seeded)', () => {
    const op = fc.record({
      peer: fc.integer({ min: 0, max: 2 }),
      id: fc.constantFrom('p/a', 'p/b'),
      field: fc.constantFrom('x', 'y', 'rotation'),
      value: fc.integer({ min: -50, max: 50 }),
    });
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { minLength: 9, maxLength: 9 }),
        (ops, order) => {
          const peers = [new Doc(), new Doc(), new Doc()];
          const editors = peers.map((doc) => new DraftDoc(doc));
          const lastByPeer = new Map<string, number>();
          for (const { peer, id, field, value } of ops) {
            editors[peer]!.set(id, { [field]: value });
            lastByPeer.set(`${peer}|${id}|${field}`, value);
          }
          // Exchange full states in a random order, twice over, as reconnecting providers would.
          for (let round = 0; round < 3; round++) {
            for (let i = 0; i < 3; i++) {
              const from = peers[order[round * 3 + i]! % 3]!;
              for (const to of peers) if (to !== from) applyUpdate(to, encodeStateAsUpdate(from));
            }
          }
          // Repairs made while merging travel in the next round: two full rounds settle every race.
          for (let round = 0; round < 2; round++) {
            for (const to of peers) for (const from of peers) applyUpdate(to, encodeStateAsUpdate(from));
          }
          const drafts = peers.map((p) => readDraft(p));
          expect(drafts[1]).toEqual(drafts[0]);
          expect(drafts[2]).toEqual(drafts[0]);
          // A field nobody else touched keeps its author's last value: edits of different fields never clobber.
          for (const id of ['p/a', 'p/b']) {
            for (const field of ['x', 'y', 'rotation'] as const) {
              const writers = [0, 1, 2].filter((peer) => lastByPeer.has(`${peer}|${id}|${field}`));
              if (writers.length !== 1) continue;
              const value = lastByPeer.get(`${writers[0]}|${id}|${field}`)!;
              const expected = field === 'rotation' ? ((value % 360) + 360) % 360 : value;
              expect(drafts[0]!.overrides[id]?.[field]).toBe(expected);
            }
          }
        },
      ),
      { seed: 6006, numRuns: 200 },
    );
  });
});
