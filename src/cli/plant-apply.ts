// `imverse plant apply FILE`: shows what a changed plant file changes, and (unless --dry-run) does
// it in one transaction — on a data directory, or through a running platform's API with --url.
import { ERROR_CODES, ImverseError, type ErrorCode } from '../core/errors.js';
import { readUserText } from '../server/user-files.js';
import { openCore } from '../server/platform.js';
import { readPlantFile } from '../server/plant-file.js';
import { runningPlatform } from '../server/running-marker.js';
import type { PlantApplyResult } from '../twin/plant-apply.js';
import { leavingNothingOnFailure } from './data-dir-guard.js';
import { loadConfig } from './options.js';

export interface PlantApplyCommandOptions {
  data?: string;
  dryRun?: boolean;
  prune?: boolean;
  url?: string;
  token?: string;
  json?: boolean;
}

/** Lines listed per kind of change in the printed plan; --json gives up to 1000. */
const LISTED = 25;

export async function plantApplyCommand(file: string, options: PlantApplyCommandOptions): Promise<void> {
  const result =
    options.url === undefined ? await applyToDataDir(file, options) : await applyThroughApi(file, options);
  console.log(options.json ? JSON.stringify(result, null, 2) : formatPlan(result));
}

async function applyToDataDir(file: string, options: PlantApplyCommandOptions): Promise<PlantApplyResult> {
  const config = loadConfig({ dataDir: options.data });
  // A file with mistakes is refused before the data directory is opened (or created).
  const plant = readPlantFile(file);
  const running = runningPlatform(config.dataDir);
  if (running !== undefined) {
    // Changing the files under a running platform would leave its models, live views and
    // caches behind what is stored.
    throw new ImverseError(
      'IMV_DATA_DIR_IN_USE',
      `the platform is running on ${config.dataDir} (process ${running.pid}): apply through it with --url ${running.url} --token TOKEN (a writer's token; or set IMVERSE_TOKEN)`,
    );
  }
  return leavingNothingOnFailure(config.dataDir, async () => {
    const core = await openCore(config);
    try {
      return await core.graph.applyPlant(plant, { dryRun: options.dryRun, prune: options.prune });
    } finally {
      await core.close();
    }
  });
}

async function applyThroughApi(file: string, options: PlantApplyCommandOptions): Promise<PlantApplyResult> {
  const token = options.token ?? process.env.IMVERSE_TOKEN;
  const url = new URL('/api/v1/plant/apply', options.url);
  url.searchParams.set('dryRun', String(options.dryRun ?? false));
  url.searchParams.set('prune', String(options.prune ?? false));
  url.searchParams.set('file', file.slice(-256));
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/yaml',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: readUserText(file),
    });
  } catch (error) {
    throw new ImverseError('IMV_UNAVAILABLE', `cannot reach ${options.url}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok) {
    // The platform answers problem+json; a code this client does not know yet still gets a hint.
    const code =
      typeof body?.code === 'string' && body.code in ERROR_CODES ? (body.code as ErrorCode) : 'IMV_INTERNAL';
    const problem = new ImverseError(
      code,
      typeof body?.detail === 'string' ? body.detail : `${response.status} ${response.statusText}`,
      { issues: Array.isArray(body?.issues) ? (body.issues as never) : [] },
    );
    throw problem;
  }
  return body as unknown as PlantApplyResult;
}

export function formatPlan(result: PlantApplyResult): string {
  const { counts } = result;
  const head = result.dryRun
    ? `plan for ${result.prefix} (dry run: nothing was changed)`
    : result.applied
      ? `applied to ${result.prefix}`
      : `${result.prefix} already matches the file: nothing to change`;
  const lines = [
    head,
    `  models:        ${counts.models.add} to add, ${counts.models.unchanged} unchanged`,
    `  twins:         ${counts.twins.create} to create, ${counts.twins.update} to update, ${counts.twins.delete} to delete, ${counts.twins.unchanged} unchanged`,
    `  relationships: ${counts.relationships.add} to add, ${counts.relationships.update} to update, ${counts.relationships.remove} to remove, ${counts.relationships.unchanged} unchanged`,
  ];
  const list = <T>(sign: string, items: readonly T[], total: number, text: (item: T) => string) => {
    for (const item of items.slice(0, LISTED)) lines.push(`  ${sign} ${text(item)}`);
    if (total > LISTED) lines.push(`    … and ${total - LISTED} more (--json lists them)`);
  };
  list('+ model', result.models.add, counts.models.add, (id) => id);
  list('+', result.twins.create, counts.twins.create, (id) => id);
  list('~', result.twins.update, counts.twins.update, (u) =>
    u.model ? `${u.id} (model ${u.model.from} → ${u.model.to})` : `${u.id} (${u.fields.join(', ')})`,
  );
  list('-', result.twins.delete, counts.twins.delete, (id) => `${id} (its history is kept)`);
  const rel = (r: { source: string; name: string; target: string; id: string }) =>
    `${r.source} ${r.name} → ${r.target} [${r.id}]`;
  list('+', result.relationships.add, counts.relationships.add, rel);
  list('~', result.relationships.update, counts.relationships.update, rel);
  list('-', result.relationships.remove, counts.relationships.remove, rel);
  if (counts.twins.keep > 0) {
    lines.push(
      `  ${counts.twins.keep} stored twin(s) under ${result.prefix} are not in the file and were kept; --prune deletes them (never their history):`,
    );
    list(' ', result.twins.keep, counts.twins.keep, (id) => id);
  }
  return lines.join('\n');
}
