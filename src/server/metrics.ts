// Prometheus metrics for /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TwinGraph } from '../twin/TwinGraph.js';
import type { IngestCounters } from '../ingest/IngestCounters.js';
import type { RefusalCounter } from '../core/refusals.js';

const TWIN_COUNT_TTL_MS = 10_000;

/** One device connector as /metrics shows it. */
export interface ConnectorStatus {
  /** `mqtt` (the embedded broker), `mqtt:N` (an external broker), or the OPC UA source's name. */
  readonly connector: string;
  readonly connected: boolean;
  /** Devices connected to the embedded broker. */
  readonly clients?: number;
  readonly reconnects?: number;
  /** Sparkplug B rebirth requests sent to edge nodes. */
  readonly rebirthsRequested?: number;
}

export interface CollabStats {
  readonly rooms: number;
  readonly connections: number;
  readonly invalidMessages: number;
  readonly refusedEdits: number;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  readonly liveConnections: Gauge;
  readonly liveEvents: Counter;
  readonly liveDropped: Counter;

  constructor(graph: TwinGraph, ingest?: IngestCounters, connectors?: () => readonly ConnectorStatus[]) {
    collectDefaultMetrics({ register: this.registry, prefix: 'imverse_' });
    this.requests = new Histogram({
      name: 'imverse_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [this.registry],
    });
    this.liveConnections = new Gauge({
      name: 'imverse_live_connections',
      help: 'Open live WebSocket connections',
      registers: [this.registry],
    });
    this.liveEvents = new Counter({
      name: 'imverse_live_events_sent_total',
      help: 'Events sent to live subscribers',
      registers: [this.registry],
    });
    this.liveDropped = new Counter({
      name: 'imverse_live_events_dropped_total',
      help: 'Events not sent to live subscribers that fell behind (more than 8 MiB unsent)',
      registers: [this.registry],
    });
    let twinCount = { value: 0, at: 0 };
    new Gauge({
      name: 'imverse_twins',
      help: 'Twins in the store (refreshed at most every 10 s)',
      registers: [this.registry],
      async collect() {
        if (Date.now() - twinCount.at > TWIN_COUNT_TTL_MS) {
          twinCount = { value: await graph.store.countTwins(), at: Date.now() };
        }
        this.set(twinCount.value);
      },
    });
    new Gauge({
      name: 'imverse_models',
      help: 'Models registered',
      registers: [this.registry],
      collect() {
        this.set(graph.models.list().length);
      },
    });
    if (ingest !== undefined) this.registerIngest(ingest);
    if (connectors !== undefined) this.registerConnectors(connectors);
  }

  private registerConnectors(connectors: () => readonly ConnectorStatus[]): void {
    const gauge = (name: string, help: string, read: (status: ConnectorStatus) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['connector'],
        registers: [this.registry],
        collect() {
          for (const status of connectors()) {
            const value = read(status);
            if (value !== undefined) this.set({ connector: status.connector }, value);
          }
        },
      });
    gauge('imverse_connector_up', 'Whether a device connector is connected (1) or not (0)', (s) =>
      s.connected ? 1 : 0,
    );
    gauge(
      'imverse_connector_reconnects',
      'Times a connector re-established its connection since start',
      (s) => s.reconnects,
    );
    gauge('imverse_mqtt_clients', 'Devices connected to the embedded MQTT broker', (s) => s.clients);
    gauge(
      'imverse_sparkplug_rebirths_requested',
      'Sparkplug B rebirth requests (NCMD Node Control/Rebirth) sent to edge nodes since start',
      (s) => s.rebirthsRequested,
    );
  }

  private registerIngest(ingest: IngestCounters): void {
    new Gauge({
      name: 'imverse_ingest_points',
      help: 'Device values per connector since start: received and accepted',
      labelNames: ['source', 'outcome'],
      registers: [this.registry],
      collect() {
        for (const [source, counters] of Object.entries(ingest.snapshot())) {
          this.set({ source, outcome: 'received' }, counters.received);
          this.set({ source, outcome: 'accepted' }, counters.accepted);
        }
      },
    });
    new Gauge({
      name: 'imverse_ingest_rejected',
      help: 'Device messages and values refused (and dead-lettered) per connector since start, by code',
      labelNames: ['source', 'code'],
      registers: [this.registry],
      collect() {
        for (const [source, counters] of Object.entries(ingest.snapshot())) {
          for (const [code, n] of Object.entries(counters.rejected)) this.set({ source, code }, n);
        }
      },
    });
  }

  /** Reloads of the mapping file and sources.yaml since start, by result, and whether the last one worked. */
  registerConfigReload(
    reloads: () => { readonly ok: number; readonly failed: number; readonly lastSucceeded: boolean },
  ): void {
    const counted = { ok: 0, failed: 0 };
    new Counter({
      name: 'imverse_config_reload_total',
      help: 'Reloads of the mapping file and sources.yaml (file change, SIGHUP, API) since start, by result',
      labelNames: ['result'],
      registers: [this.registry],
      collect() {
        const now = reloads();
        for (const result of ['ok', 'failed'] as const) {
          this.inc({ result }, now[result] - counted[result]);
          counted[result] = now[result];
        }
      },
    });
    new Gauge({
      name: 'imverse_config_last_reload_successful',
      help: 'Whether the last load of the mapping file and sources.yaml succeeded (1) or kept the previous ones (0)',
      registers: [this.registry],
      collect() {
        this.set(reloads().lastSucceeded ? 1 : 0);
      },
    });
  }

  /** Every refusal at the HTTP, WebSocket and MQTT edges, by stable code. */
  registerRefusals(refusals: RefusalCounter): void {
    new Gauge({
      name: 'imverse_refusals_total',
      help: 'Requests, messages and connections refused at the edges since start, by edge and stable code',
      labelNames: ['edge', 'code'],
      registers: [this.registry],
      collect() {
        for (const { edge, code, count } of refusals.snapshot()) this.set({ edge, code }, count);
      },
    });
  }

  /** Collaboration rooms: how many, who is connected, what was refused. */
  registerCollab(stats: () => CollabStats): void {
    new Gauge({
      name: 'imverse_collab_rooms',
      help: 'Collaboration rooms (presence, annotations, layout drafts) held in memory',
      registers: [this.registry],
      collect() {
        this.set(stats().rooms);
      },
    });
    new Gauge({
      name: 'imverse_collab_connections',
      help: 'Open collaboration WebSocket connections',
      registers: [this.registry],
      collect() {
        this.set(stats().connections);
      },
    });
    new Gauge({
      name: 'imverse_collab_refused',
      help: 'Collaboration messages refused since start: undecodable messages, edits from viewers',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        const { invalidMessages, refusedEdits } = stats();
        this.set({ reason: 'invalid_message' }, invalidMessages);
        this.set({ reason: 'edit_not_allowed' }, refusedEdits);
      },
    });
  }

  observeRequest(method: string, route: string, status: number, elapsedMs: number): void {
    this.requests.observe({ method, route, status: String(status) }, elapsedMs / 1000);
  }
}
