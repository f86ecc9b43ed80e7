// Subscribes Imverse to the variables of an OPC UA server (a PLC, an edge gateway, a SCADA
// server): one session, one subscription, a monitored item per configured node. Data changes are
// batched into PointBatches for the sink. When the connection drops, node-opcua reconnects with
// back-off and restores (or re-creates) the session, subscription and items by itself.
import { OPCUACertificateManager, type ClientSession, type DataValue, type OPCUAClient } from 'node-opcua';
import type { IngestSink } from '../points.js';
import { compileOpcUaConfig, type OpcUaSourceConfig } from './config.js';
import { createOpcUaClient, explain, identityOf } from './connection.js';
import { convertDataValue } from './convert.js';
import { startMonitoring } from './monitor.js';
import { PointBatcher } from './PointBatcher.js';
import {
  NodeCounters,
  OpcUaCounters,
  type OpcUaNodeStats,
  type OpcUaSourceState,
  type OpcUaSourceStats,
} from './stats.js';

export type { OpcUaSourceState, OpcUaSourceStats, OpcUaNodeStats } from './stats.js';

export interface OpcUaSourceOptions extends OpcUaSourceConfig {
  readonly sink: IngestSink;
  /** Called on every state change, and with the error when an attempt fails without one. */
  readonly onStateChange?: (state: OpcUaSourceState, error?: Error) => void;
  /** A node the server refused (unknown node id, not a variable, not readable). */
  readonly onNodeError?: (node: OpcUaNodeStats) => void;
  /** Receive-time clock, ms since the epoch: the time of values the server sends without one. */
  readonly now?: () => number;
  /** Batching: a batch leaves after this long (default 50 ms) or at `maxBatchPoints` (default 1000). */
  readonly flushMs?: number;
  readonly maxBatchPoints?: number;
}

export interface OpcUaSource {
  readonly state: OpcUaSourceState;
  /** Resolves once connected and monitoring; rejects after `timeoutMs` with the last error (the source keeps trying). */
  connected(timeoutMs?: number): Promise<void>;
  stats(): OpcUaSourceStats;
  /** Delivers the values received so far, then closes the session and the connection. */
  close(): Promise<void>;
}

async function withTimeout(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    (work ?? Promise.resolve()).catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

/**
 * Starts an OPC UA source. The options are validated first (a ValidationError, IMV_CONFIG_INVALID,
 * names each wrong setting); connecting then happens in the background, retried with back-off.
 */
export function connectOpcUaSource(options: OpcUaSourceOptions): OpcUaSource {
  const {
    sink,
    onStateChange,
    onNodeError,
    now = Date.now,
    flushMs = 50,
    maxBatchPoints = 1000,
    ...configPart
  } = options;
  const config = compileOpcUaConfig(configPart);
  const counters = new OpcUaCounters();
  const nodes = config.nodes.map((node) => new NodeCounters(node));
  let state: OpcUaSourceState = 'connecting';
  let lastError: Error | undefined;
  const waiters = new Set<() => void>();

  const setState = (next: OpcUaSourceState, error?: Error): void => {
    if (error) lastError = error;
    if (next === state) {
      if (error) onStateChange?.(state, error);
      return;
    }
    state = next;
    onStateChange?.(next, error);
    if (next === 'connected') {
      for (const wake of waiters) wake();
      waiters.clear();
    }
  };

  const batcher = new PointBatcher({
    sink,
    source: config.source,
    flushMs,
    maxPoints: maxBatchPoints,
    onDelivered(accepted, rejectedCodes) {
      counters.valuesAccepted += accepted;
      for (const code of rejectedCodes) counters.rejected(code);
    },
    onFailed(points, error) {
      counters.valuesLost += points;
      lastError = new Error(`the sink failed to store ${points} OPC UA values: ${error.message}`, {
        cause: error,
      });
    },
    onDropped(points) {
      counters.valuesLost += points;
    },
  });

  const onChange = (node: NodeCounters, dataValue: DataValue): void => {
    counters.valuesReceived++;
    node.valuesReceived++;
    node.lastStatus = dataValue.statusCode.name;
    const result = convertDataValue(node.node, dataValue, now());
    switch (result.kind) {
      case 'point':
        batcher.add(result.point);
        return;
      case 'status':
        counters.statusOnly++;
        return;
      case 'rejected':
        counters.rejected(result.code);
        node.error = result.reason;
        sink.reject(
          config.source,
          result.code,
          result.reason,
          dataValue.value.toString().slice(0, 200),
          node.node.nodeId,
        );
    }
  };

  let closing = false;
  let established = false;
  let client: OPCUAClient | undefined;
  let session: ClientSession | undefined;
  let certificateManager: OPCUACertificateManager | undefined;
  let wakeSleep: (() => void) | undefined;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (closing) return resolve();
      const timer = setTimeout(resolve, ms);
      wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  function makeClient(): OPCUAClient {
    const c = createOpcUaClient(config, {
      clientName: `imverse-${config.source}`,
      // maxRetry -1: keep trying for as long as the source is open.
      connectionStrategy: {
        maxRetry: -1,
        initialDelay: config.reconnectInitialDelayMs,
        maxDelay: config.reconnectMaxDelayMs,
        randomisationFactor: 0.2,
      },
      requestedSessionTimeout: 60_000,
      ...(certificateManager ? { clientCertificateManager: certificateManager } : {}),
    });
    // Before the first session is set up, run() handles failures itself.
    c.on('connection_lost', () => {
      if (!closing && established) setState('reconnecting');
    });
    c.on('connection_reestablished', () => {
      if (closing || !established) return;
      counters.reconnects++;
      setState('connected');
    });
    c.on('reconnection_attempt_has_failed', (error: Error) => {
      if (!closing && established) setState(state, explain(error, config));
    });
    return c;
  }

  async function run(): Promise<void> {
    let delay = config.reconnectInitialDelayMs;
    while (!closing) {
      if (config.pkiFolder !== undefined) {
        // A fresh store for each attempt: it reads a server certificate trusted since the last one.
        await certificateManager?.dispose();
        certificateManager = new OPCUACertificateManager({
          rootFolder: config.pkiFolder,
          automaticallyAcceptUnknownCertificate: false,
        });
        await certificateManager.initialize();
        if (closing) break;
      }
      const c = makeClient();
      client = c;
      try {
        await c.connect(config.endpointUrl);
        if (closing) break;
        const s = await c.createSession(identityOf(config));
        session = s;
        if (closing) break;
        await startMonitoring(s, config, nodes, onChange, (node) => onNodeError?.(node.snapshot()));
        established = true;
        setState('connected');
        return;
      } catch (error) {
        if (closing) break;
        setState(state, explain(error, config));
        session = undefined;
        await c.disconnect().catch(() => undefined);
        await sleep(delay);
        delay = Math.min(delay * 2, config.reconnectMaxDelayMs);
      }
    }
  }

  const running = run().catch((error: unknown) => setState(state, explain(error, config)));

  let closed: Promise<void> | undefined;
  return {
    get state() {
      return state;
    },
    connected(timeoutMs = 10_000) {
      if (state === 'connected') return Promise.resolve();
      if (state === 'closed') return Promise.reject(new Error('the OPC UA source is closed'));
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(
              `not connected to ${config.endpointUrl} after ${timeoutMs} ms: ${lastError?.message ?? state}`,
              lastError ? { cause: lastError } : undefined,
            ),
          );
        }, timeoutMs);
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        waiters.add(wake);
      });
    },
    stats: () => ({
      state,
      valuesReceived: counters.valuesReceived,
      valuesAccepted: counters.valuesAccepted,
      valuesRejected: counters.valuesRejected,
      statusOnly: counters.statusOnly,
      valuesLost: counters.valuesLost,
      rejectedByCode: counters.byCode(),
      reconnects: counters.reconnects,
      lastError: lastError?.message,
      nodes: nodes.map((n) => n.snapshot()),
    }),
    close() {
      closed ??= (async () => {
        closing = true;
        wakeSleep?.();
        // A session on a server that went away cannot be closed: do not wait for it.
        if (state === 'connected') await withTimeout(session?.close(true), 2000);
        // Disconnecting also ends a connection attempt still in progress.
        await client?.disconnect().catch(() => undefined);
        await running;
        await batcher.flush();
        await certificateManager?.dispose();
        setState('closed');
      })();
      return closed;
    },
  };
}
