import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUserText } from './user-files.js';

describe("users' files", () => {
  it('reads a file saved with a byte-order mark', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'imverse-bom-')), 'plant.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name: x\n')]));
    expect(readUserText(file)).toBe('name: x\n');
  });
});
