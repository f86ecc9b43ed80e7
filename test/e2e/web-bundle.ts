// Vitest global setup: builds the 3D world page (web/ → dist/web) when it is missing or older than its
// sources, so `npm test` on a fresh clone serves the real page at /world without `npm run build` first.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the server takes the page from (src/server/routes/pages.ts reads the same variable). */
const OUT_DIR = process.env.IMVERSE_WEB_DIR ?? join(ROOT, 'dist/web');
const BUILT = join(OUT_DIR, 'index.html');
const SOURCES = [join(ROOT, 'web'), join(ROOT, 'src/core'), join(ROOT, 'src/server/public/theme.css')];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

export function webBundleIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  return SOURCES.some((source) => existsSync(source) && newest(source) > built);
}

export default async function setup(): Promise<void> {
  // Running only server tests while the web sources are mid-edit: IMVERSE_WEB_BUILD=skip.
  if (process.env.IMVERSE_WEB_BUILD === 'skip' || !webBundleIsStale()) return;
  const { build } = await import('vite');
  await build({
    configFile: join(ROOT, 'web/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: OUT_DIR, emptyOutDir: true },
  });
}
