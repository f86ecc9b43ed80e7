// `imverse device create ID --topic FILTER…`: MQTT credentials for a device, the secret printed once.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceStore } from '../server/auth/DeviceStore.js';
import { checkFilters } from '../server/routes/devices.js';
import { loadConfig } from './options.js';

export async function deviceCreateCommand(
  id: string,
  options: { topic: string[]; data?: string },
): Promise<void> {
  checkFilters(options.topic);
  const config = loadConfig({ dataDir: options.data });
  mkdirSync(config.dataDir, { recursive: true });
  const devices = new DeviceStore(join(config.dataDir, 'auth.sqlite'));
  try {
    const { secret, info } = devices.create(id, options.topic);
    console.log(
      `created device ${info.id} (may publish to ${info.topics.join(', ')}).\n` +
        `MQTT user name: ${info.id}\nMQTT password (shown once): ${secret}`,
    );
  } finally {
    devices.close();
  }
}
