// The subscription of one session and its monitored items, one per configured node. A node the
// server refuses (unknown node id, not a variable, not readable) is marked failed with the reason;
// the others are monitored regardless.
import {
  AttributeIds,
  TimestampsToReturn,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
  type StatusCode,
} from 'node-opcua';
import type { CompiledOpcUaConfig } from './config.js';
import type { NodeCounters } from './stats.js';

const NODE_PROBLEMS: Record<string, string> = {
  BadNodeIdUnknown:
    'the server does not know this node id: check it (namespace index and identifier) in its address space',
  BadNodeIdInvalid: 'the server finds this node id malformed',
  BadAttributeIdInvalid: 'the node is not a variable: it has no value to monitor',
  BadNotReadable: 'the variable is not readable',
  BadUserAccessDenied: 'this session may not read the variable: check the user’s rights on the server',
  BadTooManyMonitoredItems: 'the server allows no more monitored items',
};

export function nodeProblem(status: StatusCode): string {
  return `${status.name}: ${NODE_PROBLEMS[status.name] ?? status.description ?? 'refused by the server'}`;
}

export interface Monitoring {
  readonly subscription: ClientSubscription;
}

/**
 * Creates the subscription and a monitored item per node. `onChange` receives every data change;
 * node-opcua re-creates the subscription and items by itself when it restores a lost session.
 */
export async function startMonitoring(
  session: ClientSession,
  config: CompiledOpcUaConfig,
  nodes: readonly NodeCounters[],
  onChange: (counters: NodeCounters, dataValue: DataValue) => void,
  onNodeError: (counters: NodeCounters) => void,
): Promise<Monitoring> {
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: config.publishingIntervalMs,
    // Keep-alives every ~10 publishing intervals; the server drops the subscription after 6 missed.
    requestedMaxKeepAliveCount: 10,
    requestedLifetimeCount: 60,
    maxNotificationsPerPublish: 1000,
    publishingEnabled: true,
    priority: 1,
  });
  await Promise.all(
    nodes.map(async (counters) => {
      const fail = (reason: string): void => {
        counters.state = 'failed';
        counters.error = reason;
        onNodeError(counters);
      };
      try {
        const item = await subscription.monitor(
          { nodeId: counters.node.nodeId, attributeId: AttributeIds.Value },
          {
            samplingInterval: config.samplingIntervalMs,
            // Changes between two publishes are all kept (up to 100), not only the last.
            queueSize: 100,
            discardOldest: true,
          },
          TimestampsToReturn.Both,
        );
        item.on('changed', (dataValue: DataValue) => onChange(counters, dataValue));
        item.on('err', (message: string) => fail(message));
        if (item.statusCode.isGood()) {
          counters.state = 'monitoring';
          counters.error = undefined;
        } else fail(nodeProblem(item.statusCode));
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      }
    }),
  );
  return { subscription };
}
