import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ImverseError } from '../core/errors.js';
import { boxGlb } from './gltf-box.js';
import { WorldModelStore } from './models-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof ImverseError ? error.code : String(error);
  }
  return undefined;
};

describe('WorldModelStore', () => {
  it('keeps assets and bindings across a reopen, and leaves no temporary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imverse-models-'));
    dirs.push(dir);
    const first = new WorldModelStore(dir);
    const info = first.put('agv', boxGlb(), 'model/gltf-binary');
    first.bind({ target: 'dtmi:example:AGV;1', model: 'agv', scale: 2 });
    first.bind({ target: '88.100.1/agv-01', model: 'agv' });
    first.unbind('88.100.1/agv-01');

    const again = new WorldModelStore(dir);
    expect(again.list()).toEqual([info]);
    expect(new Uint8Array(again.read('agv').bytes)).toEqual(boxGlb());
    expect(again.listBindings()).toEqual([{ target: 'dtmi:example:AGV;1', model: 'agv', scale: 2 }]);
    expect(readdirSync(dir).sort()).toEqual(['agv.glb', 'index.json']);
  });

  it('refuses to bind an unknown model and to delete a bound one', () => {
    const store = new WorldModelStore();
    expect(codeOf(() => store.bind({ target: 'dtmi:x:Y;1', model: 'nope' }))).toBe(
      'IMV_WORLD_MODEL_NOT_FOUND',
    );
    store.put('box', boxGlb(), 'model/gltf-binary');
    store.bind({ target: 'dtmi:x:Y;1', model: 'box' });
    expect(codeOf(() => store.delete('box'))).toBe('IMV_WORLD_MODEL_IN_USE');
    store.unbind('dtmi:x:Y;1');
    store.delete('box');
    expect(store.list()).toEqual([]);
    expect(codeOf(() => store.unbind('dtmi:x:Y;1'))).toBe('IMV_WORLD_MODEL_BINDING_NOT_FOUND');
  });
});
