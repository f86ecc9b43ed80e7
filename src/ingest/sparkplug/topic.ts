// Sparkplug B topic names: spBv1.0/{group}/{message type}/{edge node}[/{device}].

export const SPARKPLUG_NAMESPACE = 'spBv1.0';

export type NodeMessageType = 'NBIRTH' | 'NDATA' | 'NDEATH';
export type DeviceMessageType = 'DBIRTH' | 'DDATA' | 'DDEATH';

export type SparkplugTopic =
  | {
      readonly kind: 'node';
      readonly type: NodeMessageType;
      readonly group: string;
      readonly edgeNode: string;
    }
  | {
      readonly kind: 'device';
      readonly type: DeviceMessageType;
      readonly group: string;
      readonly edgeNode: string;
      readonly device: string;
    }
  /** STATE (a host application's own), NCMD and DCMD (commands to the edge): not plant data. */
  | { readonly kind: 'ignored'; readonly type: string };

const NODE_TYPES = new Set<string>(['NBIRTH', 'NDATA', 'NDEATH']);
const DEVICE_TYPES = new Set<string>(['DBIRTH', 'DDATA', 'DDEATH']);
const IGNORED_TYPES = new Set<string>(['NCMD', 'DCMD']);

/** Parses a Sparkplug B topic; a message when it is not one. */
export function parseSparkplugTopic(topic: string): SparkplugTopic | string {
  const levels = topic.split('/');
  if (levels[0] === 'STATE' || (levels[0] === SPARKPLUG_NAMESPACE && levels[1] === 'STATE')) {
    return { kind: 'ignored', type: 'STATE' };
  }
  if (levels[0] !== SPARKPLUG_NAMESPACE) return `"${topic}" is not a Sparkplug B topic (spBv1.0/…)`;
  const [, group, type = '', edgeNode, device] = levels;
  if (levels.length < 4 || levels.length > 5 || !group || !edgeNode || device === '') {
    return `"${topic}" is not a Sparkplug B topic: expected spBv1.0/{group}/{message type}/{edge node}[/{device}]`;
  }
  if (IGNORED_TYPES.has(type)) return { kind: 'ignored', type };
  if (NODE_TYPES.has(type) && device === undefined) {
    return { kind: 'node', type: type as NodeMessageType, group, edgeNode };
  }
  if (DEVICE_TYPES.has(type) && device !== undefined) {
    return { kind: 'device', type: type as DeviceMessageType, group, edgeNode, device };
  }
  return `"${topic}": "${type}" is not a Sparkplug B message type for ${device === undefined ? 'an edge node' : 'a device'}`;
}
