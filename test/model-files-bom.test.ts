// A DTDL model saved with a UTF-8 byte-order mark (as Windows editors and ontology tools write it)
// is accepted wherever a user hands one in: `imverse model validate` and the model upload API.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { modelValidateCommand } from '../src/cli/model-validate.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const model = (id: string): object => ({
  '@context': 'dtmi:dtdl:context;3',
  '@id': id,
  '@type': 'Interface',
  contents: [{ '@type': 'Property', name: 'speed', schema: 'double' }],
});
const withBom = (value: unknown): Buffer => Buffer.concat([BOM, Buffer.from(JSON.stringify(value))]);

describe('model files with a byte-order mark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-bom-model-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imverse model validate accepts them', async () => {
    const file = join(dir, 'press.json');
    writeFileSync(file, withBom(model('dtmi:test:bom:Press;1')));
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    try {
      expect(await modelValidateCommand([file], { json: true })).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(JSON.parse(printed.join('\n'))).toEqual({ valid: true, issues: [] });
  });

  describe('POST /api/v1/models', () => {
    let p: TestPlatform;
    beforeAll(async () => {
      p = await startTestPlatform();
    });
    afterAll(async () => p.close());

    it('accepts a JSON body that starts with a byte-order mark', async () => {
      const res = await p.api('/api/v1/models', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: withBom([model('dtmi:test:bom:Upload;1')]),
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ value: [{ id: 'dtmi:test:bom:Upload;1' }] });
    });
  });
});
