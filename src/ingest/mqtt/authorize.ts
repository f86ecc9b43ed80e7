// Per-device access lists for the embedded broker: which topics a device may publish and subscribe to.
import { filterCovers, topicFilterProblem, topicMatchesFilter } from '../mapping/topic-pattern.js';

export interface DeviceIdentity {
  readonly id: string;
  /** MQTT filters the device may publish to, e.g. "plant/line-1/st-03/#". */
  readonly topics: readonly string[];
  /** Filters it may subscribe within (commands, configuration); defaults to `topics`. */
  readonly subscribe?: readonly string[];
}

/** Why an identity returned by `authenticate` is unusable, or undefined. */
export function deviceProblem(device: DeviceIdentity): string | undefined {
  if (typeof device.id !== 'string' || device.id.length === 0) return 'device id is empty';
  for (const filter of [...device.topics, ...(device.subscribe ?? [])]) {
    const problem = topicFilterProblem(filter);
    if (problem) return `device ${device.id}: filter "${filter}": ${problem}`;
  }
  return undefined;
}

export function mayPublish(device: DeviceIdentity, topic: string): boolean {
  for (const filter of device.topics) if (topicMatchesFilter(filter, topic)) return true;
  return false;
}

/** A subscription is allowed when one of the device's filters covers all the topics it could match. */
export function maySubscribe(device: DeviceIdentity, filter: string): boolean {
  for (const own of device.subscribe ?? device.topics) if (filterCovers(own, filter)) return true;
  return false;
}
