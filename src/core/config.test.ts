import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, configFromEnv, resolveConfig } from './config.js';

describe('configuration', () => {
  it('layers file, environment and flags, later winning', () => {
    const config = resolveConfig([
      { source: 'imverse.yaml', values: { port: 9000, dataDir: '/var/lib/imverse' } },
      { source: 'environment', values: configFromEnv({ IMVERSE_PORT: '9100', IMVERSE_DEMO: 'true' }) },
      { source: 'command line', values: { port: undefined, host: '0.0.0.0' } },
    ]);
    expect(config).toEqual({
      ...DEFAULT_CONFIG,
      port: 9100,
      dataDir: '/var/lib/imverse',
      demo: true,
      host: '0.0.0.0',
    });
  });

  it('names the source and setting of a bad value', () => {
    expect(() => resolveConfig([{ source: 'environment', values: { port: 'eighty' } }])).toThrow(
      /environment: port must be a port number/,
    );
    expect(() => resolveConfig([{ source: 'imverse.yaml', values: { prot: 1 } }])).toThrow(
      /imverse.yaml: unknown setting "prot"/,
    );
    expect(() => resolveConfig([{ source: 'x', values: { logLevel: 'loud' } }])).toThrow(
      expect.objectContaining({ code: 'IMV_CONFIG_INVALID' }),
    );
  });
});
