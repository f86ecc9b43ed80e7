// Reads the configuration layers for a command: imverse.yaml, environment, flags.
import { existsSync } from 'node:fs';
import { readUserText } from '../server/user-files.js';
import { parse } from 'yaml';
import { configFromEnv, resolveConfig, type Config } from '../core/config.js';
import { ImverseError } from '../core/errors.js';

export function loadConfig(flags: Record<string, unknown>, configFile?: string): Config {
  const layers: Array<{ source: string; values: Record<string, unknown> }> = [];
  const file = configFile ?? (existsSync('imverse.yaml') ? 'imverse.yaml' : undefined);
  if (file !== undefined) {
    let values: unknown;
    try {
      values = parse(readUserText(file)) ?? {};
    } catch (error) {
      throw new ImverseError(
        'IMV_CONFIG_INVALID',
        `${file}: ${error instanceof Error ? error.message : error}`,
        {
          cause: error,
        },
      );
    }
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new ImverseError('IMV_CONFIG_INVALID', `${file}: must be a mapping of settings`);
    }
    layers.push({ source: file, values: values as Record<string, unknown> });
  }
  layers.push({ source: 'environment', values: configFromEnv(process.env) });
  layers.push({ source: 'command line', values: flags });
  return resolveConfig(layers);
}
