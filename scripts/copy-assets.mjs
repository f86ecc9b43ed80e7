// Copies the non-TypeScript files that the compiled code reads at run time (DTDL ontology, pages).
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative, extname } from 'node:path';

const ASSET_EXTENSIONS = new Set(['.json', '.html', '.css', '.svg']);

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (ASSET_EXTENSIONS.has(extname(name))) cpSync(path, join('dist', relative('src', path)));
  }
}
copyAssets('src');
