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

/**
 * Between a device id and a suffix of its own in a client id (`st-03/main`). Device ids never
 * contain it, so no device's client ids can be another device's.
 */
export const CLIENT_ID_SEPARATOR = '/';

/**
 * A client id belongs to a device when it is the device id, or the id, the separator and a
 * suffix: the broker keys sessions (subscriptions, queued messages) by client id, so a device
 * never reaches another's session.
 */
export function mayUseClientId(device: DeviceIdentity, clientId: string): boolean {
  return clientId === device.id || clientId.startsWith(device.id + CLIENT_ID_SEPARATOR);
}
