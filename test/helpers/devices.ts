// Devices of the embedded MQTT broker, created with the CLI as an integrator would.
import { spawnSync } from 'node:child_process';

/** Registers a device on a data directory with the CLI, as an integrator would; returns its password. */
export function createDevice(dataDir: string, id: string, topic: string): string {
  const created = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'device', 'create', id, '--topic', topic, '--data', dataDir],
    { encoding: 'utf8' },
  );
  const secret = /password \(shown once\): (\S+)/.exec(created.stdout)?.[1];
  if (secret === undefined) throw new Error(`imverse device create failed: ${created.stderr}`);
  return secret;
}
