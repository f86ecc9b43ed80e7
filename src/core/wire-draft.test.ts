import { describe, expect, it } from 'vitest';
import { applyUpdate, Doc, encodeStateAsUpdate } from 'yjs';
import { DraftDoc, type DraftChange } from './wire-draft.js';

const sync = (a: Doc, b: Doc): void => {
  applyUpdate(b, encodeStateAsUpdate(a), 'remote');
  applyUpdate(a, encodeStateAsUpdate(b), 'remote');
};

describe('DraftDoc', () => {
  it('writes moves, removals, resets and added equipment, and counts changed objects', () => {
    const draft = new DraftDoc(new Doc());
    draft.set('p/a', { x: 3 });
    draft.set('p/a', { rotation: 90 });
    draft.remove('p/b');
    const added = draft.add({
      kind: 'robot',
      name: 'R',
      x: 1,
      y: 1,
      rotation: 0,
      width: 1,
      depth: 1,
      height: 2,
    });
    expect(added).toMatch(/^draft:[0-9a-f-]{32,36}$/);
    expect(draft.get('p/a')).toEqual({ x: 3, rotation: 90 });
    expect(draft.get('p/b')).toEqual({ removed: true });
    expect(draft.get(added)).toMatchObject({ kind: 'robot', name: 'R', height: 2 });
    expect(draft.changeCount()).toBe(3);
    draft.reset('p/a');
    draft.remove(added);
    expect(draft.get('p/a')).toBeUndefined();
    expect(draft.ids()).toEqual(['p/b']);
  });

  it('tells its own changes from remote ones, with the objects touched', () => {
    const a = new DraftDoc(new Doc());
    const b = new DraftDoc(new Doc());
    const seen: DraftChange[] = [];
    b.observe((change) => seen.push(change));
    b.set('p/x', { y: 1 });
    a.set('p/a', { x: 3 });
    sync(a.doc, b.doc);
    a.set('p/a', { x: 4 });
    sync(a.doc, b.doc);
    expect(seen.map((c) => [[...c.ids], c.remote])).toEqual([
      [['p/x'], false],
      [['p/a'], true],
      [['p/a'], true],
    ]);
  });

  it('keeps both edits when two editors first touch the same object at once', () => {
    const a = new DraftDoc(new Doc());
    const b = new DraftDoc(new Doc());
    a.set('p/a', { x: 7 });
    b.set('p/a', { rotation: 45 });
    sync(a.doc, b.doc);
    sync(a.doc, b.doc);
    expect(a.get('p/a')).toEqual({ x: 7, rotation: 45 });
    expect(b.get('p/a')).toEqual({ x: 7, rotation: 45 });
  });

  it('does not bring back what someone else reset', () => {
    const a = new DraftDoc(new Doc());
    const b = new DraftDoc(new Doc());
    a.set('p/a', { x: 7 });
    sync(a.doc, b.doc);
    b.reset('p/a');
    sync(a.doc, b.doc);
    sync(a.doc, b.doc);
    expect(a.get('p/a')).toBeUndefined();
    expect(b.get('p/a')).toBeUndefined();
  });
});
