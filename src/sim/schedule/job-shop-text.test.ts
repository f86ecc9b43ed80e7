import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectJobShopFormat, parseJobShop } from './job-shop-text.js';
import { parseOrLibrary } from './orlib.js';
import { parseTaillard } from './taillard.js';

const example = (name: string): string =>
  readFileSync(new URL(`../../../examples/jobshop/${name}.txt`, import.meta.url), 'utf8');

describe('parseJobShop', () => {
  it.each([
    ['ft10', 'or-library'],
    ['la01', 'or-library'],
    ['ta01', 'taillard'],
    ['ta20', 'taillard'],
  ] as const)('reads %s as %s', (name, format) => {
    const text = example(name);
    expect(detectJobShopFormat(text)).toBe(format);
    expect(parseJobShop(text)).toEqual(format === 'taillard' ? parseTaillard(text) : parseOrLibrary(text));
  });

  it('tells the formats apart by content, not by comments', () => {
    expect(detectJobShopFormat('# Times\n1 1\n0 5\n')).toBe('or-library');
    expect(detectJobShopFormat('1 1\ntimes\n5\nmachines\n1\n')).toBe('taillard');
    expect(parseJobShop('1 1\ntimes\n5\nmachines\n1\n')).toEqual({
      machines: 1,
      jobs: [{ operations: [{ machine: 0, duration: 5 }] }],
    });
  });

  it("names the line of a malformed Taillard file in the format's own terms", () => {
    expect(() => parseJobShop('Nb of jobs, Nb of Machines\n1 2\nTimes\n1 2\nMachines\n1 3\n')).toThrow(
      /^line 6: job 0 step 1: machine 3 is not in 1\.\.2/,
    );
  });
});
