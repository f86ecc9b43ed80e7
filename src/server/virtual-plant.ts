// Runs the virtual plant (sim/virtual) in real time as an MQTT client: it publishes what the
// simulated plant does to a broker, exactly as a real plant's devices would, and carries out the
// commands it receives on plant/{line}/{station}/cmd.
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import { compilePlantSimulation } from '../sim/factory/index.js';
import { hostedAssets } from '../sim/virtual/assets.js';
import { VirtualPlant, type OutgoingMessage } from '../sim/virtual/VirtualPlant.js';
import { parsePlant, type PlantDefinition } from '../twin/plant.js';
import type { ModelRegistry } from '../model/registry.js';

export interface VirtualPlantRunnerOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** The plant file (twins and its `simulation` section). */
  readonly plantFile: string | URL;
  /** Simulated seconds per real second. Default 1. */
  readonly speed?: number;
  /** Simulated seconds run before going live, so the plant starts full. Default 8 h. */
  readonly warmup?: number;
  readonly seed?: number;
  /** How often the plant is advanced and its events sent (ms). Default 200. */
  readonly tickMs?: number;
  /** How often machine signals are sampled (ms). Default 1000. */
  readonly sampleMs?: number;
  /** With it, the plant sends each twin only the fields its model has. */
  readonly models?: ModelRegistry;
  readonly logger?: Logger;
}

export interface RunningVirtualPlant {
  readonly plant: VirtualPlant;
  /** Messages published, and commands carried out or refused. */
  stats(): { published: number; commands: number; refused: number; connected: boolean };
  close(): Promise<void>;
}

export const COMMAND_TOPIC = 'plant/+/+/cmd';

export async function startVirtualPlant(options: VirtualPlantRunnerOptions): Promise<RunningVirtualPlant> {
  const file = typeof options.plantFile === 'string' ? options.plantFile : options.plantFile.pathname;
  const definition = parsePlant(readFileSync(options.plantFile, 'utf8'), file);
  const compiled = compilePlantSimulation(definition, file);
  const plant = new VirtualPlant(compiled, {
    startedAt: Date.now(),
    speed: options.speed ?? 1,
    warmup: options.warmup ?? 8 * 3600,
    seed: options.seed ?? (Date.now() % 1_000_000) + 1,
    assets: hostedAssets(
      definition,
      compiled.stations.map((s) => s.id),
    ),
    ...(options.models === undefined ? {} : { fieldsOf: fieldsOf(definition, options.models) }),
  });
  const client = await mqtt.connectAsync(options.url, {
    username: options.username,
    password: options.password,
    // The broker binds client ids to the device: its own id, "/", a suffix.
    clientId: `${options.username}/${process.pid}`,
    protocolVersion: 4,
    reconnectPeriod: 1000,
  });
  let published = 0;
  let commands = 0;
  let refused = 0;
  const publish = (messages: readonly OutgoingMessage[]) => {
    for (const { topic, payload } of messages) {
      client.publish(topic, JSON.stringify(payload), { qos: 1 });
      published++;
    }
  };
  client.on('message', (topic, payload) => {
    const station = topic.split('/').slice(1, 3).join('/');
    let body: unknown;
    try {
      body = JSON.parse(payload.toString());
    } catch {
      body = undefined;
    }
    const outcome = plant.command(station, body);
    if (outcome.ok) commands++;
    else refused++;
    options.logger?.info({ station, command: body, ...outcome }, 'virtual plant command');
  });
  await client.subscribeAsync(COMMAND_TOPIC, { qos: 1 });
  // On every (re)connection, the whole plant's state, as devices report theirs when they come online.
  publish(plant.snapshot(Date.now()));
  client.on('connect', () => publish(plant.snapshot(Date.now())));

  const tick = setInterval(() => publish(plant.advance(Date.now())), options.tickMs ?? 200);
  const sample = setInterval(() => publish(plant.sample(Date.now())), options.sampleMs ?? 1000);
  return {
    plant,
    stats: () => ({ published, commands, refused, connected: client.connected }),
    async close() {
      clearInterval(tick);
      clearInterval(sample);
      await client.endAsync();
    },
  };
}

/** Each twin's telemetry and property names, from its model. */
function fieldsOf(
  definition: PlantDefinition,
  models: ModelRegistry,
): (id: string) => ReadonlySet<string> | undefined {
  const byId = new Map<string, ReadonlySet<string>>();
  for (const twin of definition.twins) {
    const model = models.get(twin.model);
    if (model === undefined) continue;
    byId.set(
      twin.id.slice(definition.prefix.length + 1),
      new Set([...model.telemetry.keys(), ...model.properties.keys()]),
    );
  }
  return (id) => byId.get(id);
}
