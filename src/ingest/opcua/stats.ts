// Counters of one OPC UA source: values in, accepted, rejected by code, and each node's state.
import type { CompiledOpcUaNode } from './config.js';

export type OpcUaSourceState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** 'pending' until the server has accepted the monitored item; 'failed' when it refused it. */
export type OpcUaNodeState = 'pending' | 'monitoring' | 'failed';

export interface OpcUaNodeStats {
  readonly nodeId: string;
  readonly twin: string;
  readonly field: string;
  readonly state: OpcUaNodeState;
  /** Why the node is not monitored or its last value was refused, e.g. "BadNodeIdUnknown: …". */
  readonly error: string | undefined;
  readonly valuesReceived: number;
  /** Status of the last data change ("Good", "BadSensorFailure", …). */
  readonly lastStatus: string | undefined;
}

export interface OpcUaSourceStats {
  readonly state: OpcUaSourceState;
  /** Data changes received from the server. */
  readonly valuesReceived: number;
  /** Points the sink accepted (durable). */
  readonly valuesAccepted: number;
  /** Values refused by the connector (unsupported type, bad time) or by the sink. */
  readonly valuesRejected: number;
  /** Data changes that carried a bad or uncertain status and no value: nothing to store. */
  readonly statusOnly: number;
  /** Points lost because the sink failed or fell too far behind. */
  readonly valuesLost: number;
  readonly rejectedByCode: Readonly<Record<string, number>>;
  /** Times the connection was re-established after a loss. */
  readonly reconnects: number;
  readonly lastError: string | undefined;
  readonly nodes: readonly OpcUaNodeStats[];
}

export class NodeCounters {
  state: OpcUaNodeState = 'pending';
  error: string | undefined;
  valuesReceived = 0;
  lastStatus: string | undefined;
  constructor(readonly node: CompiledOpcUaNode) {}

  snapshot(): OpcUaNodeStats {
    const { nodeId, twin, field } = this.node;
    return {
      nodeId,
      twin,
      field,
      state: this.state,
      error: this.error,
      valuesReceived: this.valuesReceived,
      lastStatus: this.lastStatus,
    };
  }
}

export class OpcUaCounters {
  valuesReceived = 0;
  valuesAccepted = 0;
  valuesRejected = 0;
  statusOnly = 0;
  valuesLost = 0;
  reconnects = 0;
  readonly #byCode = new Map<string, number>();

  rejected(code: string): void {
    this.valuesRejected++;
    this.#byCode.set(code, (this.#byCode.get(code) ?? 0) + 1);
  }

  byCode(): Record<string, number> {
    return Object.fromEntries(this.#byCode);
  }
}
