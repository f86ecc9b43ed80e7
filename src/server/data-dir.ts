// The data directory is the owner's alone: 0700, its files 0600, whatever the umask, because it holds
// the plant's data and the digests of every token and device password.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Creates the data directory owner-only if it is missing, and takes others' access to it away. */
export function openDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  restrict(dir);
}

/**
 * Takes group and other access away from everything under the data directory that this process owns.
 * Run once the stores are open: SQLite creates each database 0644, and later gives its -wal and -shm
 * files the mode of their database, so a database made 0600 here keeps them 0600 too.
 */
export function restrictDataDir(dir: string): void {
  restrict(dir);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat === undefined || stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) restrictDataDir(path);
    else restrict(path);
  }
}

function restrict(path: string): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  // Files put there by someone else (an operator's mappings.yaml, as root) are theirs to decide.
  if (stat === undefined || (process.getuid !== undefined && stat.uid !== process.getuid())) return;
  if ((stat.mode & 0o077) === 0) return;
  try {
    chmodSync(path, stat.mode & 0o700);
  } catch (error) {
    // A -shm or -wal file SQLite removed meanwhile needs nothing.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
