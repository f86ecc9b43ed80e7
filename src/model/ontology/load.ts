// The built-in industrial ontology: the DTDL v3 documents in this folder, read at run time.
// The build copies the .json files next to the compiled .js, so the same code works from src/ and dist/.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { stripBom } from '../../core/user-text.js';

export { ONTOLOGY_PREFIX, modelIdForShortName } from './names.js';

const FOLDER = fileURLToPath(new URL('.', import.meta.url));

/** Every ontology document, sorted by file name; `source` is the file name, e.g. "Station.json". */
export function loadOntology(): Array<{ source: string; content: unknown }> {
  return readdirSync(FOLDER)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      source: name,
      // Like any model file, an ontology document may be saved with a byte-order mark.
      content: JSON.parse(stripBom(readFileSync(join(FOLDER, name), 'utf8'))) as unknown,
    }));
}
