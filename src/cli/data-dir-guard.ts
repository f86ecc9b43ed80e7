// A command that fails leaves the data directory as it found it: no new, empty database files.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `work`; when it throws, removes what it created in `dir` (the whole directory if it was new). */
export async function leavingNothingOnFailure<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const existed = existsSync(dir);
  const before = new Set(existed ? readdirSync(dir) : []);
  try {
    return await work();
  } catch (error) {
    if (!existed) {
      rmSync(dir, { recursive: true, force: true });
    } else if (existsSync(dir)) {
      for (const name of readdirSync(dir)) {
        if (!before.has(name)) rmSync(join(dir, name), { recursive: true, force: true });
      }
    }
    throw error;
  }
}
