// The mapping file and sources.yaml while the platform runs: read at start, and again on a change
// of either file, on SIGHUP or through the API. A reload validates both files completely before
// anything changes; when either is wrong, the mappings and sources in force stay as they are.
import { existsSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import type { Config } from '../core/config.js';
import { ImverseError, type Issue } from '../core/errors.js';
import { readUserText } from './user-files.js';
import { compileMappings } from '../ingest/mapping/compile.js';
import { LiveMappings } from '../ingest/mapping/LiveMappings.js';
import type { MappingSet } from '../ingest/mapping/MappingSet.js';
import { connectMqttSource, type MqttSource, type MqttSourceStats } from '../ingest/mqtt/client.js';
import type { OpcUaSource, OpcUaSourceStats } from '../ingest/opcua/client.js';
import type { CompiledOpcUaConfig } from '../ingest/opcua/config.js';
import type { IngestSink } from '../ingest/points.js';
import type { ConnectorStatus } from './metrics.js';
import { compileSources, type MqttSourceConfig, type SourcesConfig } from './sources.js';

export const DEMO_MAPPINGS = new URL('../../examples/demo-mappings.yaml', import.meta.url);

/** How often the two files are looked at, and how long a change must settle before it is read. */
const WATCH_INTERVAL_MS = 500;
const SETTLE_MS = 250;

export type ReloadTrigger = 'start' | 'watch' | 'signal' | 'api';

/** The outcome of the last load, as GET /api/v1/ingest/reload shows it. */
export interface ReloadStatus {
  /** When it was tried (ISO 8601). */
  readonly time: string;
  readonly trigger: ReloadTrigger;
  readonly result: 'ok' | 'failed';
  readonly message: string;
  /** The mappings in force after it: the new ones, or on failure the previous ones. */
  readonly mappings: { readonly file: string | null; readonly count: number };
  readonly sources: {
    readonly file: string | null;
    readonly mqtt: number;
    readonly opcua: number;
    /** Connector names started, stopped, and left running because their settings did not change. */
    readonly started: readonly string[];
    readonly stopped: readonly string[];
    readonly unchanged: readonly string[];
  };
  /** Every problem found, with its file and JSON Pointer; empty when it succeeded. */
  readonly issues: readonly Issue[];
  /** When the mappings and sources in force were loaded. */
  readonly activeSince: string;
}

/** What the API needs: reload now, the last outcome, and the counts for /metrics. */
export interface ConfigReloader {
  reload(trigger: ReloadTrigger): Promise<ReloadStatus>;
  status(): ReloadStatus;
  counts(): { readonly ok: number; readonly failed: number };
}

type MappingConfig = Pick<Config, 'dataDir' | 'demo' | 'mappingsFile'>;
type SourcesFileConfig = Pick<Config, 'dataDir' | 'sourcesFile'>;

/** The mapping file in use: the configured one, else mappings.yaml in the data directory, else (demo) the demo's. */
function mappingsFileOf(config: MappingConfig): string | URL | undefined {
  const inDataDir = join(config.dataDir, 'mappings.yaml');
  return (
    config.mappingsFile ??
    (existsSync(inDataDir) ? inDataDir : config.demo && existsSync(DEMO_MAPPINGS) ? DEMO_MAPPINGS : undefined)
  );
}

function sourcesFileOf(config: SourcesFileConfig): string | undefined {
  const inDataDir = join(config.dataDir, 'sources.yaml');
  return config.sourcesFile ?? (existsSync(inDataDir) ? inDataDir : undefined);
}

function nameOf(file: string | URL): string {
  return file instanceof URL ? fileURLToPath(file) : file;
}

/** Reads and parses a user's YAML (or JSON) file; a file that cannot be read or parsed is IMV_CONFIG_INVALID. */
function readYaml(file: string | URL): { value: unknown; text: string } {
  const name = nameOf(file);
  let text: string;
  try {
    text = readUserText(file);
  } catch (error) {
    const message = `cannot read the file: ${(error as Error).message}`;
    throw new ImverseError('IMV_CONFIG_INVALID', `${name}: ${message}`, {
      issues: [{ file: name, path: '', message }],
      cause: error,
    });
  }
  try {
    return { value: parseYaml(text), text };
  } catch (error) {
    const message = (error as Error).message;
    throw new ImverseError('IMV_CONFIG_INVALID', `${name}: ${message}`, {
      issues: [{ file: name, path: '', message }],
      cause: error,
    });
  }
}

interface LoadedMappings {
  readonly set: MappingSet;
  readonly file: string | undefined;
  /** The file's content, or "" without a file. */
  readonly text: string;
}

interface LoadedSources {
  readonly sources: SourcesConfig;
  readonly file: string | undefined;
  readonly text: string;
}

function readMappings(config: MappingConfig): LoadedMappings {
  const file = mappingsFileOf(config);
  if (file === undefined) return { set: compileMappings({ mappings: [] }), file: undefined, text: '' };
  const { value, text } = readYaml(file);
  return { set: compileMappings(value, nameOf(file)), file: nameOf(file), text };
}

async function readSources(config: SourcesFileConfig): Promise<LoadedSources> {
  const file = sourcesFileOf(config);
  if (file === undefined) return { sources: { mqtt: [], opcua: [] }, file: undefined, text: '' };
  const { value, text } = readYaml(file);
  return { sources: await compileSources(value, file), file, text };
}

/** The topic mappings; throws (IMV_REQUEST_INVALID or IMV_CONFIG_INVALID, with every issue) when they are wrong. */
export function loadMappings(config: MappingConfig): MappingSet {
  return readMappings(config).set;
}

/** External sources; throws IMV_CONFIG_INVALID, with every issue, when the file is wrong. */
export async function loadSources(config: SourcesFileConfig): Promise<SourcesConfig> {
  return (await readSources(config)).sources;
}

/** Both files, read and checked: what a start needs before it opens anything. */
export interface IngestFiles {
  readonly mappings: LoadedMappings;
  readonly sources: LoadedSources;
}

export async function loadIngestFiles(config: MappingConfig & SourcesFileConfig): Promise<IngestFiles> {
  return { mappings: readMappings(config), sources: await readSources(config) };
}

function issuesOf(error: unknown): Issue[] {
  if (error instanceof ImverseError && error.issues.length > 0) return [...error.issues];
  return [{ path: '', message: error instanceof Error ? error.message : String(error) }];
}

type Wanted =
  | { readonly kind: 'mqtt'; readonly name: string; readonly config: MqttSourceConfig }
  | { readonly kind: 'opcua'; readonly name: string; readonly config: CompiledOpcUaConfig };

type Running =
  | { readonly kind: 'mqtt'; readonly name: string; readonly key: string; readonly source: MqttSource }
  | { readonly kind: 'opcua'; readonly name: string; readonly key: string; readonly source: OpcUaSource };

/** Same kind, name and settings: a source that can keep running across a reload. */
function keyOf(wanted: Wanted): string {
  return `${wanted.kind}\u0000${wanted.name}\u0000${JSON.stringify(wanted.config)}`;
}

function wantedOf(sources: SourcesConfig): Wanted[] {
  return [
    ...sources.mqtt.map((config, i) => ({ kind: 'mqtt' as const, name: `mqtt:${i}`, config })),
    ...sources.opcua.map((config) => ({ kind: 'opcua' as const, name: config.source, config })),
  ];
}

/** Drops undefined members, for options types that do not allow them. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export interface IngestConfigOptions {
  readonly sink: IngestSink;
  readonly logger: Logger;
}

/**
 * The mappings and external sources in force. Connectors look topics up in `mappings`, which a
 * reload replaces; sources whose settings changed are stopped and started again, the others keep
 * their connection. Reloads run one at a time.
 */
export class IngestConfig implements ConfigReloader {
  readonly mappings: LiveMappings;
  #running: Running[] = [];
  #status: ReloadStatus;
  #texts: string;
  #sources: LoadedSources;
  #mappingsFile: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #counts = { ok: 0, failed: 0 };
  #watched: { path: string; listener: (current: Stats, previous: Stats) => void }[] = [];
  #settle: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly config: MappingConfig & SourcesFileConfig,
    files: IngestFiles,
    private readonly options: IngestConfigOptions,
  ) {
    this.mappings = new LiveMappings(files.mappings.set);
    this.#mappingsFile = files.mappings.file;
    this.#sources = files.sources;
    this.#texts = `${files.mappings.text}\u0000${files.sources.text}`;
    const time = new Date().toISOString();
    this.#status = this.#describe('start', time, 'ok', 'loaded at start', [], time);
  }

  /** Starts the sources of the files read at start. */
  start(): Promise<void> {
    return this.#enqueue(async () => {
      const changes = await this.#applySources(this.#sources.sources);
      this.#status = { ...this.#status, sources: { ...this.#status.sources, ...changes.names } };
      if (changes.failures.length > 0) throw changes.failures[0]!.error;
    });
  }

  status(): ReloadStatus {
    return this.#status;
  }

  counts(): { readonly ok: number; readonly failed: number } {
    return { ...this.#counts };
  }

  /** Reads both files again and puts them in force, or keeps the current ones and says why not. */
  reload(trigger: ReloadTrigger): Promise<ReloadStatus> {
    return this.#enqueue(() => this.#reload(trigger));
  }

  /**
   * Reloads when either file changes. The files are polled (stat) rather than watched with
   * inotify: a poll sees an editor's save-by-rename, a file created later, and a Kubernetes
   * ConfigMap's symlink swap alike, and is not woken by every SQLite write in the data directory.
   */
  watch(): void {
    const paths = new Set([
      this.config.mappingsFile ?? join(this.config.dataDir, 'mappings.yaml'),
      this.config.sourcesFile ?? join(this.config.dataDir, 'sources.yaml'),
    ]);
    for (const path of paths) {
      const listener = () => {
        clearTimeout(this.#settle);
        this.#settle = setTimeout(() => void this.#reloadIfChanged(), SETTLE_MS);
        this.#settle.unref();
      };
      watchFile(path, { interval: WATCH_INTERVAL_MS, persistent: false }, listener);
      this.#watched.push({ path, listener });
    }
  }

  /** The external sources' counters, for GET /api/v1/ingest/stats. */
  sourceStats(): { mqttSources?: MqttSourceStats[]; opcuaSources?: OpcUaSourceStats[] } {
    const mqtt: MqttSourceStats[] = [];
    const opcua: OpcUaSourceStats[] = [];
    for (const running of this.#running) {
      if (running.kind === 'mqtt') mqtt.push(running.source.stats());
      else opcua.push(running.source.stats());
    }
    return {
      ...(mqtt.length === 0 ? {} : { mqttSources: mqtt }),
      ...(opcua.length === 0 ? {} : { opcuaSources: opcua }),
    };
  }

  /** The external sources in short, for /metrics. */
  connectors(): ConnectorStatus[] {
    return this.#running.map((running) => {
      const stats = running.source.stats();
      return {
        connector: running.name,
        connected: stats.state === 'connected',
        reconnects: stats.reconnects,
        ...('rebirthsRequested' in stats ? { rebirthsRequested: stats.rebirthsRequested } : {}),
      };
    });
  }

  /** Stops watching and closes every source. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#settle);
    for (const { path, listener } of this.#watched) unwatchFile(path, listener);
    this.#watched = [];
    await this.#queue.catch(() => undefined);
    const running = this.#running;
    this.#running = [];
    await Promise.all(running.map((r) => r.source.close()));
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #reloadIfChanged(): Promise<void> {
    if (this.#closed) return;
    await this.#enqueue(async () => {
      // A touch, or an editor saving twice, changes nothing: only new content is reloaded.
      if (this.#readTexts() !== this.#texts) await this.#reload('watch');
    });
  }

  async #reload(trigger: ReloadTrigger): Promise<ReloadStatus> {
    const time = new Date().toISOString();
    const { logger } = this.options;
    if (this.#closed) return this.#status;
    // Read before loading: a change made while this reload runs is seen by the watcher as new.
    this.#texts = this.#readTexts();
    let mappings: LoadedMappings | undefined;
    let sources: LoadedSources | undefined;
    const issues: Issue[] = [];
    try {
      mappings = readMappings(this.config);
    } catch (error) {
      issues.push(...issuesOf(error));
    }
    try {
      sources = await readSources(this.config);
    } catch (error) {
      issues.push(...issuesOf(error));
    }
    if (mappings === undefined || sources === undefined) {
      this.#counts.failed++;
      const first = issues[0]!;
      const message = `${first.file === undefined ? '' : `${first.file}: `}${first.path || '/'}: ${first.message}${
        issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
      }; the previous mappings and sources stay active`;
      this.#status = this.#describe(trigger, time, 'failed', message, issues, this.#status.activeSince);
      logger.error({ trigger, issues }, `configuration not reloaded: ${message}`);
      return this.#status;
    }
    this.mappings.replace(mappings.set);
    this.#mappingsFile = mappings.file;
    this.#sources = sources;
    const changes = await this.#applySources(sources.sources);
    const failed = changes.failures.map(({ name, error }) => ({
      path: '',
      message: `source ${name} did not start: ${error instanceof Error ? error.message : String(error)}`,
      ...(sources.file === undefined ? {} : { file: sources.file }),
    }));
    if (failed.length > 0) {
      this.#counts.failed++;
      const message = `the mappings were reloaded, but ${failed.map((f) => f.message).join('; ')}`;
      this.#status = this.#describe(trigger, time, 'failed', message, failed, time, changes.names);
      logger.error({ trigger, issues: failed }, message);
      return this.#status;
    }
    this.#counts.ok++;
    const message = `${mappings.set.size} mappings and ${sources.sources.mqtt.length + sources.sources.opcua.length} sources in force`;
    this.#status = this.#describe(trigger, time, 'ok', message, [], time, changes.names);
    logger.info({ trigger, ...changes.names }, `configuration reloaded: ${message}`);
    return this.#status;
  }

  /** Both files' content, to tell a real change from a touch. */
  #readTexts(): string {
    return [mappingsFileOf(this.config), sourcesFileOf(this.config)]
      .map((file) => {
        try {
          return file === undefined ? '' : readUserText(file);
        } catch {
          return '\u0001unreadable';
        }
      })
      .join('\u0000');
  }

  #describe(
    trigger: ReloadTrigger,
    time: string,
    result: 'ok' | 'failed',
    message: string,
    issues: readonly Issue[],
    activeSince: string,
    names: { started: string[]; stopped: string[]; unchanged: string[] } = {
      started: [],
      stopped: [],
      unchanged: this.#running.map((r) => r.name),
    },
  ): ReloadStatus {
    return {
      time,
      trigger,
      result,
      message,
      mappings: { file: this.#mappingsFile ?? null, count: this.mappings.current.size },
      sources: {
        file: this.#sources.file ?? null,
        mqtt: this.#sources.sources.mqtt.length,
        opcua: this.#sources.sources.opcua.length,
        ...names,
      },
      issues,
      activeSince,
    };
  }

  /** Stops the sources that are gone or changed, then starts the new and changed ones. */
  async #applySources(next: SourcesConfig): Promise<{
    names: { started: string[]; stopped: string[]; unchanged: string[] };
    failures: { name: string; error: unknown }[];
  }> {
    const { sink, logger } = this.options;
    const old = [...this.#running];
    const plan: (Running | Wanted)[] = [];
    for (const wanted of wantedOf(next)) {
      const key = keyOf(wanted);
      const same = old.findIndex((running) => running.key === key);
      plan.push(same >= 0 ? old.splice(same, 1)[0]! : wanted);
    }
    // Stopped first: a changed MQTT source reconnects with the same client id, which would take
    // the session from the old connection rather than wait for it to close.
    await Promise.all(old.map((running) => running.source.close()));
    // node-opcua is large and slow to load: only when a server is configured.
    const opcua = plan.some((entry) => !('key' in entry) && entry.kind === 'opcua')
      ? await import('../ingest/opcua/client.js')
      : undefined;
    const started: string[] = [];
    const unchanged: string[] = [];
    const failures: { name: string; error: unknown }[] = [];
    const running: Running[] = [];
    for (const entry of plan) {
      if ('key' in entry) {
        running.push(entry);
        unchanged.push(entry.name);
        continue;
      }
      const { name } = entry;
      try {
        if (entry.kind === 'mqtt') {
          const source = connectMqttSource({
            ...entry.config,
            sink,
            mappings: this.mappings,
            source: name,
            onStateChange: (state, error) => logger.info({ source: name, state, err: error }, 'mqtt source'),
          });
          running.push({ kind: 'mqtt', name, key: keyOf(entry), source });
        } else {
          const source = opcua!.connectOpcUaSource({
            ...withoutUndefined(entry.config),
            sink,
            onStateChange: (state, error) =>
              logger.info({ source: name, state, err: error }, 'opc ua source'),
          });
          running.push({ kind: 'opcua', name, key: keyOf(entry), source });
        }
        started.push(name);
      } catch (error) {
        failures.push({ name, error });
      }
    }
    this.#running = running;
    return { names: { started, stopped: old.map((r) => r.name), unchanged }, failures };
  }
}
