// Keeps docs/models.md honest: its examples are run here.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ModelRegistry } from './registry.js';

const doc = readFileSync(new URL('../../docs/models.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? 'null') as unknown);

it('the example model of docs/models.md is accepted', () => {
  expect(new ModelRegistry().validate([{ source: 'press.json', content: blocks[0] }])).toEqual([]);
});

it('the error example of docs/models.md is what a wrong unit produces', () => {
  const model = JSON.parse(JSON.stringify(blocks[0])) as { contents: { unit?: string }[] };
  const first = model.contents[0];
  if (first) first.unit = 'metre';
  const expected = (blocks[1] as { issues: unknown[] }).issues;
  expect(new ModelRegistry().validate([{ source: 'press.json', content: model }])).toEqual(expected);
});
