// What the dashboard page exposes as window.__imverseDashboard for tests; no DOM types (Node imports it).
import type { TileKey } from './format.js';

/** The first load, the 5-second timer, a range picked, or a station's alarm seen on the live feed. */
export type RefreshTrigger = 'start' | 'timer' | 'range' | 'live';

export interface DashboardHook {
  /** The first KPIs are drawn. */
  ready: boolean;
  /** Why the last refresh failed, if it did. */
  error?: string;
  /** The range picked: 1h, 8h, 24h or 7d. */
  range: string;
  /** The window of the KPIs on screen (ms since the epoch) and their bucket width. */
  window?: { from: number; to: number; bucket: number };
  /** The server's computedAt of the KPIs on screen. */
  computedAt?: number;
  /** When the page last drew fresh KPIs (ms since the epoch, the page's clock). */
  lastRefresh?: number;
  refreshes: number;
  /** What asked for the KPIs on screen. */
  trigger?: RefreshTrigger;
  /** The plant tiles' values as the API gave them. */
  tiles: Partial<Record<TileKey, number | null>>;
  lines: number;
  /** The live WebSocket is subscribed: alarms refresh the page as they happen. */
  live: boolean;
}
