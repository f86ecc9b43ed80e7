// `npm run bench -- NAME [args]`: runs bench/NAME.ts; each benchmark prints its headline figure last.
import { existsSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [name, ...args] = process.argv.slice(2);
const dir = import.meta.dirname;
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
if (!name || !existsSync(join(dir, `${name}.ts`))) {
  console.error(`usage: npm run bench -- NAME [args]\navailable: ${available.join(', ')}`);
  process.exit(2);
}
process.argv = [process.argv[0]!, join(dir, `${name}.ts`), ...args];
await import(pathToFileURL(join(dir, `${name}.ts`)).href);
