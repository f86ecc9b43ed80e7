// The settings of the WebSocket edge that buildApp is given: which origins and host names are ours,
// and the limits of the live stream and the collaboration rooms (configuration defaults when absent).
import { DEFAULT_CONFIG, type Config } from '../core/config.js';
import type { CollabLimits } from './collab/CollabHub.js';

export type SocketSettings = Pick<
  Config,
  | 'host'
  | 'allowedOrigins'
  | 'publicHost'
  | 'liveMaxSubscriptions'
  | 'collabMaxRoomsPerTenant'
  | 'collabMaxDocumentBytes'
  | 'collabMaxUpdateBytes'
>;

export function socketSettings(given: Partial<SocketSettings> = {}): SocketSettings {
  return {
    host: given.host ?? DEFAULT_CONFIG.host,
    liveMaxSubscriptions: given.liveMaxSubscriptions ?? DEFAULT_CONFIG.liveMaxSubscriptions,
    collabMaxRoomsPerTenant: given.collabMaxRoomsPerTenant ?? DEFAULT_CONFIG.collabMaxRoomsPerTenant,
    collabMaxDocumentBytes: given.collabMaxDocumentBytes ?? DEFAULT_CONFIG.collabMaxDocumentBytes,
    collabMaxUpdateBytes: given.collabMaxUpdateBytes ?? DEFAULT_CONFIG.collabMaxUpdateBytes,
    ...(given.allowedOrigins === undefined ? {} : { allowedOrigins: given.allowedOrigins }),
    ...(given.publicHost === undefined ? {} : { publicHost: given.publicHost }),
  };
}

export function collabLimitsOf(settings: SocketSettings): CollabLimits {
  return {
    maxRoomsPerTenant: settings.collabMaxRoomsPerTenant,
    maxDocumentBytes: settings.collabMaxDocumentBytes,
    maxUpdateBytes: settings.collabMaxUpdateBytes,
  };
}
