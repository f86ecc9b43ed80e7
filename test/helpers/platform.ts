// Starts a real platform (SQLite in a temporary directory, HTTP on a free loopback port) for a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DEFAULT_CONFIG, type Config } from '../../src/core/config.js';
import { startPlatform, type RunningPlatform } from '../../src/server/platform.js';

export interface TestPlatform {
  readonly url: string;
  readonly token: string;
  readonly platform: RunningPlatform;
  readonly dataDir: string;
  /** fetch against the platform with the admin token (unless headers say otherwise). */
  api(path: string, init?: RequestInit & { json?: unknown; token?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestPlatform(overrides: Partial<Config> = {}): Promise<TestPlatform> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'imverse-test-'));
  const platform = await startPlatform(
    // The virtual plant only where a test asks for it: its data would change what others check.
    {
      ...DEFAULT_CONFIG,
      port: 0,
      host: '127.0.0.1',
      mqttPort: 0,
      mqttTlsPort: 0,
      virtualPlant: false,
      ...overrides,
      dataDir,
    },
    pino({ level: 'silent' }),
  );
  const token = platform.adminToken ?? '';
  return {
    url: platform.url,
    token,
    platform,
    dataDir,
    api(path, init = {}) {
      const { json, token: asToken, ...rest } = init;
      const headers = new Headers(rest.headers);
      const bearer = asToken === undefined ? token : asToken;
      if (bearer !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${bearer}`);
      if (json !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return fetch(`${platform.url}${path}`, {
        ...rest,
        headers,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    },
    async close() {
      await platform.close();
      if (overrides.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small DTDL v3 model set for API tests, independent of the built-in ontology. */
export const TEST_MODELS = [
  {
    '@context': 'dtmi:dtdl:context;3',
    '@id': 'dtmi:test:Machine;1',
    '@type': 'Interface',
    displayName: 'Machine',
    contents: [
      { '@type': 'Property', name: 'name', schema: 'string' },
      { '@type': 'Property', name: 'speed', schema: 'double', writable: true },
      {
        '@type': 'Property',
        name: 'state',
        schema: {
          '@type': 'Enum',
          valueSchema: 'string',
          enumValues: [
            { name: 'running', enumValue: 'running' },
            { name: 'down', enumValue: 'down' },
          ],
        },
      },
      { '@type': 'Telemetry', name: 'temperature', schema: 'double' },
      {
        '@type': 'Relationship',
        name: 'feeds',
        target: 'dtmi:test:Machine;1',
        properties: [{ '@type': 'Property', name: 'rate', schema: 'double' }],
      },
      { '@type': 'Relationship', name: 'locatedIn', target: 'dtmi:test:Line;1', maxMultiplicity: 1 },
    ],
  },
  {
    '@context': 'dtmi:dtdl:context;3',
    '@id': 'dtmi:test:Press;1',
    '@type': 'Interface',
    extends: 'dtmi:test:Machine;1',
    contents: [{ '@type': 'Property', name: 'tonnage', schema: 'integer' }],
  },
  {
    '@context': 'dtmi:dtdl:context;3',
    '@id': 'dtmi:test:Line;1',
    '@type': 'Interface',
    contents: [
      { '@type': 'Property', name: 'name', schema: 'string' },
      { '@type': 'Relationship', name: 'contains' },
    ],
  },
];
