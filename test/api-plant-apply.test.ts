// A plant file edited and re-applied changes the running platform: plan first, one transaction,
// history kept, prune only when asked, nothing left behind by a refused file, other tenants refused.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImverseProcess } from './helpers/imverse-process.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

const PREFIX = '88.300.7';
const id = (suffix: string) => `${PREFIX}/${suffix}`;

/** A bottling line in its own words: filling, capping and labelling are not built-in station types. */
const V1 = `imverse: plant/v1
prefix: ${PREFIX}
twins:
  - id: line-1
    model: Line
    properties: { name: Bottling 1 }
    contains:
      - id: line-1/filler
        model: Station
        properties: { name: Filler, stationType: filling, nominalCycleTime: 0.5 }
      - id: line-1/capper
        model: Station
        properties: { name: Capper, stationType: capping }
      - id: line-1/old-labeller
        model: Station
        properties: { name: Labeller (old), stationType: labelling }
relationships:
  - { from: line-1/filler, name: feeds, to: line-1/capper }
  - { from: line-1/capper, name: feeds, to: line-1/old-labeller }
`;

/** The same line a month later: the filler renamed and faster, a new labeller in place of the old. */
const V2 = `imverse: plant/v1
prefix: ${PREFIX}
twins:
  - id: line-1
    model: Line
    properties: { name: Bottling 1 }
    contains:
      - id: line-1/filler
        model: Station
        properties: { name: Filler F1, stationType: filling, nominalCycleTime: 0.4 }
      - id: line-1/capper
        model: Station
        properties: { name: Capper, stationType: capping }
      - id: line-1/labeller
        model: Station
        properties: { name: Labeller, stationType: labelling }
relationships:
  - { from: line-1/filler, name: feeds, to: line-1/capper }
  - { from: line-1/capper, name: feeds, to: line-1/labeller }
`;

interface Result {
  applied: boolean;
  counts: {
    models: { add: number };
    twins: Record<'create' | 'update' | 'delete' | 'keep' | 'unchanged', number>;
    relationships: Record<'add' | 'update' | 'remove' | 'unchanged', number>;
  };
  twins: {
    create: string[];
    update: Array<{ id: string; fields: string[] }>;
    delete: string[];
    keep: string[];
  };
  relationships: { add: Array<{ target: string }>; remove: Array<{ target: string }> };
}

async function apply(
  text: string,
  query = '',
  token?: string,
  contentType = 'application/yaml',
): Promise<Response> {
  return p.api(`/api/v1/plant/apply${query}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: text,
    ...(token === undefined ? {} : { token }),
  });
}

async function twin(suffix: string): Promise<Response> {
  return p.api(`/api/v1/twins/${encodeURIComponent(id(suffix))}`);
}

describe('plant apply', () => {
  it('creates a plant in its own words, then re-applying it changes nothing', async () => {
    const first = await apply(V1);
    expect(first.status).toBe(200);
    const created = (await first.json()) as Result;
    expect(created.applied).toBe(true);
    expect(created.counts.twins.create).toBe(4);
    expect(created.counts.relationships.add).toBe(5);
    expect(((await (await twin('line-1/filler')).json()) as { stationType: string }).stationType).toBe(
      'filling',
    );

    const again = (await (await apply(V1)).json()) as Result;
    expect(again.applied).toBe(false);
    expect(again.counts.twins).toMatchObject({ create: 0, update: 0, delete: 0, unchanged: 4 });
    expect(again.counts.relationships).toMatchObject({ add: 0, remove: 0, unchanged: 5 });
  });

  it('shows the plan of a changed file on a dry run and changes nothing', async () => {
    const response = await apply(V2, '?dryRun=true');
    expect(response.status).toBe(200);
    const plan = (await response.json()) as Result;
    expect(plan.applied).toBe(false);
    expect(plan.twins.create).toEqual([id('line-1/labeller')]);
    expect(plan.twins.update).toEqual([{ id: id('line-1/filler'), fields: ['name', 'nominalCycleTime'] }]);
    expect(plan.twins.keep).toEqual([id('line-1/old-labeller')]);
    expect(plan.twins.delete).toEqual([]);
    expect(plan.relationships.remove.map((r) => r.target).sort()).toEqual([
      id('line-1/old-labeller'),
      id('line-1/old-labeller'),
    ]);
    expect(plan.relationships.add.map((r) => r.target).sort()).toEqual([
      id('line-1/labeller'),
      id('line-1/labeller'),
    ]);
    expect(((await (await twin('line-1/filler')).json()) as { name: string }).name).toBe('Filler');
    expect((await twin('line-1/labeller')).status).toBe(404);
  });

  it('applies a changed file keeping device values and history, and prunes only when asked', async () => {
    const ingest = await p.api('/api/v1/ingest', {
      method: 'POST',
      json: {
        points: [
          { twin: id('line-1/filler'), field: 'cycleTime', value: 0.52, time: '2026-12-01T08:00:00Z' },
          { twin: id('line-1/old-labeller'), field: 'cycleTime', value: 1.9, time: '2026-12-01T08:00:00Z' },
        ],
      },
    });
    expect(ingest.status).toBe(200);

    const applied = (await (await apply(V2)).json()) as Result;
    expect(applied.applied).toBe(true);
    expect(applied.counts.twins).toMatchObject({ create: 1, update: 1, delete: 0, keep: 1 });
    const filler = (await (await twin('line-1/filler')).json()) as Record<string, unknown>;
    expect(filler).toMatchObject({ name: 'Filler F1', nominalCycleTime: 0.4, cycleTime: 0.52 });
    expect((await twin('line-1/old-labeller')).status).toBe(200);
    const feeds = (await (
      await p.api(
        `/api/v1/twins/${encodeURIComponent(id('line-1/capper'))}/relationships?relationshipName=feeds`,
      )
    ).json()) as { value: Array<{ $targetId: string }> };
    expect(feeds.value.map((r) => r.$targetId)).toEqual([id('line-1/labeller')]);

    const pruned = (await (await apply(V2, '?prune=true')).json()) as Result;
    expect(pruned.twins.delete).toEqual([id('line-1/old-labeller')]);
    expect((await twin('line-1/old-labeller')).status).toBe(404);
    // The twin is gone; what it recorded is not.
    const history = await p.platform.core.history.range(
      { twin: id('line-1/old-labeller'), field: 'cycleTime' },
      0,
      Date.now(),
    );
    expect(history.map((sample) => sample.value)).toEqual([1.9]);
  });

  it('refuses a file with a mistake as a whole: no twin, no model, nothing left behind', async () => {
    const model =
      '{ "@context": "dtmi:dtdl:context;3", "@id": "dtmi:bev:Capper;1", "@type": "Interface", "extends": "dtmi:imverse:Station;1" }';
    const bad = V2.replace('twins:\n', `models:\n  - ${model}\ntwins:\n`).replace(
      'relationships:\n',
      '  - id: line-2\n    model: dtmi:bev:Capper;1\n    properties: { name: Capper 2, state: exploded }\nrelationships:\n',
    );
    const response = await apply(bad);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { code: string; issues: Array<{ path: string }> };
    expect(problem.code).toBe('IMV_IMPORT_INVALID');
    expect(problem.issues.map((issue) => issue.path)).toContain('/twins/4/properties/state');
    expect((await twin('line-2')).status).toBe(404);
    expect((await p.api(`/api/v1/models/${encodeURIComponent('dtmi:bev:Capper;1')}`)).status).toBe(404);

    // The same file, corrected, adds the model and the twin together.
    const fixed = (await (await apply(bad.replace(', state: exploded', ''))).json()) as Result;
    expect(fixed.counts.models.add).toBe(1);
    expect(fixed.twins.create).toEqual([id('line-2')]);
  });

  it('reads JSON bodies and files saved with a byte-order mark', async () => {
    const json = JSON.stringify({
      imverse: 'plant/v1',
      prefix: PREFIX,
      twins: [{ id: 'line-3', model: 'Line', properties: { name: 'Bottling 3' } }],
    });
    const response = await apply(`\uFEFF${json}`, '?dryRun=true', undefined, 'application/json');
    expect(response.status).toBe(200);
    expect(((await response.json()) as Result).twins.create).toEqual([id('line-3')]);
  });

  it('refuses bad bodies with a coded 4xx before reading past the limit', async () => {
    const empty = await apply('');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { code: string }).code).toBe('IMV_REQUEST_INVALID');
    const broken = await apply('imverse: plant/v1\nprefix: 88.300.7\ntwins: [ {id: a, model: Line }\n');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { code: string }).code).toBe('IMV_IMPORT_INVALID');
    const wrongType = await apply(V2, '', undefined, 'text/csv');
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as { code: string }).code).toBe('IMV_REQUEST_INVALID');
    // Plant files have their own limit, 32 MiB: one byte more is refused unread.
    const huge = await apply(`# ${'x'.repeat(32 * 1024 * 1024)}\n${V2}`);
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe('IMV_REQUEST_TOO_LARGE');
  });

  it('gives a caller from another tenant nothing: no plan, no names', async () => {
    const created = await p.api('/api/v1/tokens', {
      method: 'POST',
      json: { name: 'other tenant', role: 'writer', prefixes: ['88.100.1'] },
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    for (const query of ['?dryRun=true', '?prune=true']) {
      const response = await apply(V2, query, token);
      expect(response.status).toBe(403);
      const text = await response.text();
      expect(text).not.toContain('labeller');
      expect(text).not.toContain('filler');
    }
    expect((await twin('line-1/labeller')).status).toBe(200);
    // A reader may not apply at all.
    const reader = await p.api('/api/v1/tokens', {
      method: 'POST',
      json: { name: 'reader', role: 'reader' },
    });
    const readerToken = ((await reader.json()) as { token: string }).token;
    expect((await apply(V2, '?dryRun=true', readerToken)).status).toBe(403);
  });
});

describe('imverse plant apply and a running platform', () => {
  it('refuses to write under a running platform, and applies through it with --url', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imverse-apply-running-'));
    const dataDir = join(dir, 'data');
    const file = join(dir, 'plant.yaml');
    writeFileSync(file, V1);
    const running = await startImverseProcess(dataDir, ['--no-mqtt']);
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'plant', 'apply', file, ...args], {
        encoding: 'utf8',
        timeout: 60_000,
      });
    try {
      const direct = cli('--data', dataDir);
      expect(direct.status).toBe(1);
      expect(direct.stderr).toContain('IMV_DATA_DIR_IN_USE');
      expect(direct.stderr).toContain(`--url ${running.url}`);

      const through = cli('--url', running.url, '--token', running.token!);
      expect(through.stderr).toBe('');
      expect(through.stdout).toContain(`applied to ${PREFIX}`);
      const response = await fetch(`${running.url}/api/v1/twins/${encodeURIComponent(id('line-1/filler'))}`, {
        headers: { authorization: `Bearer ${running.token}` },
      });
      expect(((await response.json()) as { stationType: string }).stationType).toBe('filling');

      const refused = cli('--url', running.url, '--token', 'imv_not-a-token');
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('IMV_AUTH_REQUIRED');
    } finally {
      running.child.kill('SIGTERM');
      await new Promise((resolve) => running.child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
