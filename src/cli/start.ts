// `imverse start`: runs the platform until interrupted.
import pino from 'pino';
import { startPlatform } from '../server/platform.js';
import { loadConfig } from './options.js';

export async function startCommand(options: {
  data?: string;
  port?: number;
  host?: string;
  config?: string;
  demo?: boolean;
  logLevel?: string;
  mqtt?: boolean;
  mqttPort?: number;
  mappings?: string;
  virtualPlant?: boolean;
  simSpeed?: number;
}): Promise<void> {
  const config = loadConfig(
    {
      dataDir: options.data,
      port: options.port,
      host: options.host,
      demo: options.demo,
      logLevel: options.logLevel,
      mqtt: options.mqtt === false ? false : undefined,
      mqttPort: options.mqttPort,
      mappingsFile: options.mappings,
      virtualPlant: options.virtualPlant,
      virtualPlantSpeed: options.simSpeed,
    },
    options.config,
  );
  const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization', '*.token'] });
  const platform = await startPlatform(config, logger);
  const twins = await platform.core.store.countTwins();
  const lines = [
    '',
    `Imverse is running at ${platform.url}/`,
    `  data:     ${config.dataDir} (${twins} twins${platform.seeded > 0 ? ', demo plant imported' : ''})`,
    `  3D world: ${platform.url}/world   dashboard: ${platform.url}/dashboard`,
    `  API:      ${platform.url}/api/v1   docs: ${platform.url}/docs`,
    platform.mqtt === undefined
      ? '  MQTT:     off'
      : `  MQTT:     ${platform.mqtt.url} (${platform.mqtt.mappings} topic mappings; devices: imverse device create)`,
    config.demo
      ? '  mode:     demo (anonymous access from this machine: read, and edit layout drafts and notes)'
      : `  mode:     people sign in at ${platform.url}/signin; services send a bearer token`,
    ...(platform.virtualPlant === undefined
      ? []
      : [
          `  plant:    simulated, ${config.virtualPlantSpeed}× real time, publishing to the broker as device "${platform.virtualPlant.device}" (--no-virtual-plant to turn off)`,
        ]),
  ];
  if (platform.adminToken !== undefined) {
    lines.push(
      '',
      '  Admin token (shown once; keep it safe, it is not stored in readable form):',
      `    ${platform.adminToken}`,
      '  Use it as:  Authorization: Bearer <token>',
      ...(config.demo
        ? []
        : [
            '',
            '  No one can sign in to the pages yet. Create the first person (docs/people.md), either now with',
            `    curl -X POST ${platform.url}/api/v1/users -H 'authorization: Bearer <token>' -H 'content-type: application/json' \\`,
            `         -d '{"name":"NAME","role":"admin","password":"…"}'`,
            `  or, with the platform stopped:  imverse user add NAME --role admin --data ${config.dataDir}`,
          ]),
    );
  }
  lines.push('', 'Press Ctrl+C to stop.', '');
  process.stdout.write(lines.join('\n'));
  const stop = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  // `kill -HUP`: read the mapping file and sources.yaml again (the platform logs the outcome).
  process.on('SIGHUP', () => {
    platform.reload('signal').catch((error: unknown) => logger.error({ err: error }, 'reload failed'));
  });
  await new Promise(() => {});
}
