// A running platform leaves a marker in its data directory (its process id and URL), so that
// commands which write the data directory directly (`imverse plant apply`) can tell a user to go
// through the running platform instead of changing the files under it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = 'running.json';

export interface RunningMarker {
  readonly pid: number;
  readonly url: string;
}

export function writeRunningMarker(dataDir: string, url: string): void {
  writeFileSync(join(dataDir, MARKER), JSON.stringify({ pid: process.pid, url }), { mode: 0o600 });
}

export function removeRunningMarker(dataDir: string): void {
  rmSync(join(dataDir, MARKER), { force: true });
}

/** The platform running on this data directory, if one is; a marker left by a killed process is not. */
export function runningPlatform(dataDir: string): RunningMarker | undefined {
  let marker: RunningMarker;
  try {
    marker = JSON.parse(readFileSync(join(dataDir, MARKER), 'utf8')) as RunningMarker;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(marker.pid) || marker.pid === process.pid) return undefined;
  try {
    process.kill(marker.pid, 0);
    return marker;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? marker : undefined;
  }
}
