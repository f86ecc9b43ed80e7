// Prometheus metrics for /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TwinGraph } from '../twin/TwinGraph.js';
import type { IngestCounters } from '../ingest/IngestCounters.js';

const TWIN_COUNT_TTL_MS = 10_000;

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  readonly liveConnections: Gauge;
  readonly liveEvents: Counter;
  readonly liveDropped: Counter;

  constructor(graph: TwinGraph, ingest?: IngestCounters) {
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

  observeRequest(method: string, route: string, status: number, elapsedMs: number): void {
    this.requests.observe({ method, route, status: String(status) }, elapsedMs / 1000);
  }
}
