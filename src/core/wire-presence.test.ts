// The parsers that stand between other people's browsers and ours: valid states and notes pass
// unchanged, anything malformed is rejected rather than drawn.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PRESENCE_COLOURS,
  cameraMoved,
  colourFor,
  roundPoint,
  visitorName,
  MAX_ANNOTATIONS,
  MAX_NOTE_CHARS,
  cleanName,
  mayDelete,
  noteProblem,
  parseAnnotation,
  parsePresenceState,
  type Annotation,
} from './wire-presence.js';

const user = { name: 'Ada', role: 'engineer', colour: '#4fc3f7', key: 'a1b2c3d4' };
const note: Annotation = {
  id: '0123abcd4567ef89',
  twin: '88.100.1/line-2/st-01',
  text: 'Guard rail loose',
  author: { name: 'Ada', colour: '#4fc3f7', key: 'a1b2c3d4' },
  createdAt: 1_764_000_000_000,
};

describe('presence states from others', () => {
  it('accept a full state and a state without a camera yet', () => {
    const full = { user, camera: { position: [1, 2, 3], target: [4, 5, 0] }, selected: 'press-07' };
    expect(parsePresenceState(full)).toEqual(full);
    expect(parsePresenceState({ user })).toEqual({ user });
  });

  it('reject states that are not ours to draw', () => {
    const bad: unknown[] = [
      null,
      'Ada',
      {},
      { user: { ...user, role: 'root' } },
      { user: { ...user, colour: 'red' } },
      { user: { ...user, name: '' } },
      { user: { ...user, name: 'x'.repeat(41) } },
      { user: { ...user, key: 'k' } },
      { user, camera: { position: [1, 2], target: [0, 0, 0] } },
      { user, camera: { position: [1, 2, Number.NaN], target: [0, 0, 0] } },
      { user, camera: { position: [1e9, 0, 0], target: [0, 0, 0] } },
      { user, camera: 'here' },
      { user, selected: 42 },
    ];
    for (const state of bad) expect(parsePresenceState(state), JSON.stringify(state)).toBeUndefined();
  });

  it('never throw, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const parsed = parsePresenceState(value);
        return parsed === undefined || typeof parsed.user.name === 'string';
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.anything(), (id, value) => {
        const parsed = parseAnnotation(id, value);
        return parsed === undefined || parsed.id === id;
      }),
    );
  });
});

describe('annotations', () => {
  it('accept a well-formed note stored under its own id', () => {
    expect(parseAnnotation(note.id, note)).toEqual(note);
  });

  it('reject a note under another id, too long, without author or with a bad time', () => {
    expect(parseAnnotation('ffffffffffffffff', note)).toBeUndefined();
    expect(parseAnnotation(note.id, { ...note, text: 'x'.repeat(MAX_NOTE_CHARS + 1) })).toBeUndefined();
    expect(parseAnnotation(note.id, { ...note, text: '   ' })).toBeUndefined();
    expect(parseAnnotation(note.id, { ...note, author: undefined })).toBeUndefined();
    expect(
      parseAnnotation(note.id, { ...note, author: { ...note.author, colour: 'javascript:' } }),
    ).toBeUndefined();
    expect(parseAnnotation(note.id, { ...note, createdAt: '2026-11-25' })).toBeUndefined();
    expect(parseAnnotation(note.id, { ...note, twin: 7 })).toBeUndefined();
  });

  it('say why a new note cannot be added', () => {
    expect(noteProblem('Check the guard', 3)).toBeUndefined();
    expect(noteProblem('  ', 0)).toMatch(/Write a note/);
    expect(noteProblem('x'.repeat(MAX_NOTE_CHARS + 1), 0)).toMatch(/at most 280/);
    expect(noteProblem('ok', MAX_ANNOTATIONS)).toMatch(/delete old ones/);
  });

  it('may be deleted by their author or an admin only', () => {
    expect(mayDelete(note, { key: 'a1b2c3d4', role: 'viewer' })).toBe(true);
    expect(mayDelete(note, { key: 'ffff0000', role: 'engineer' })).toBe(false);
    expect(mayDelete(note, { key: 'ffff0000', role: 'admin' })).toBe(true);
  });

  it('clean names of control characters and cut them to the limit', () => {
    expect(cleanName('  Ada\u0000\n ')).toBe('Ada');
    expect(cleanName('y'.repeat(60))).toHaveLength(40);
  });
});

describe('presence helpers', () => {
  it('name a demo visitor after their key, the same every time', () => {
    expect(visitorName('3f2a9c01')).toBe('Visitor 3F2A');
    expect(visitorName('ab')).toBe('Visitor AB00');
    expect(colourFor('3f2a9c01')).toBe(colourFor('3f2a9c01'));
    expect(PRESENCE_COLOURS).toContain(colourFor('anything'));
  });

  it('spread colours over the palette', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(colourFor(`key-${i}`));
    expect(seen.size).toBe(PRESENCE_COLOURS.length);
  });

  it('publish a camera only when it moved more than a centimetre', () => {
    const pose = { position: [1, 2, 3] as const, target: [0, 0, 0] as const };
    expect(cameraMoved(undefined, pose)).toBe(true);
    expect(cameraMoved(pose, { ...pose, position: [1.005, 2, 3] })).toBe(false);
    expect(cameraMoved(pose, { ...pose, position: [1.02, 2, 3] })).toBe(true);
    expect(cameraMoved(pose, { ...pose, target: [0, 0, -0.5] })).toBe(true);
  });

  it('round poses to centimetres', () => {
    expect(roundPoint([1.23456, -0.004, 9.999])).toEqual([1.23, 0, 10]);
  });
});
