import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUserJson, readUserText, stripBom } from './user-text.js';

describe('user text', () => {
  it('drops one leading byte-order mark and nothing else', () => {
    expect(stripBom('\uFEFF{"a":1}')).toBe('{"a":1}');
    expect(stripBom('{"a":"\uFEFF"}')).toBe('{"a":"\uFEFF"}');
    expect(stripBom('plain')).toBe('plain');
  });

  it('parses JSON saved with a byte-order mark', () => {
    expect(parseUserJson('\uFEFF{"a":1}')).toEqual({ a: 1 });
  });

  it('reads a file saved with a byte-order mark', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'imverse-bom-')), 'plant.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name: x\n')]));
    expect(readUserText(file)).toBe('name: x\n');
  });
});
