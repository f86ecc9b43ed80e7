// Users' files on disk (plant files, mappings, sources, study definitions, configuration), read as
// text without the byte-order mark many editors save (src/core/user-text.ts says why).
import { readFileSync } from 'node:fs';
import { stripBom } from '../core/user-text.js';

/** Reads a user's UTF-8 file, without its byte-order mark. */
export function readUserText(file: string | URL): string {
  return stripBom(readFileSync(file, 'utf8'));
}
