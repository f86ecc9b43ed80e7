// The input limits of the HTTP edge (JSON nesting, telemetry answers, layout versions): configuration
// with defaults, read once by the routes that enforce them.
import { DEFAULT_CONFIG, type Config } from '../core/config.js';

export type EdgeLimits = Pick<
  Config,
  'jsonMaxDepth' | 'telemetryMaxFields' | 'telemetryMaxPoints' | 'telemetryMaxBytes' | 'layoutMaxVersions'
>;

export function edgeLimitsOf(config: Partial<EdgeLimits> = {}): EdgeLimits {
  return {
    jsonMaxDepth: config.jsonMaxDepth ?? DEFAULT_CONFIG.jsonMaxDepth,
    telemetryMaxFields: config.telemetryMaxFields ?? DEFAULT_CONFIG.telemetryMaxFields,
    telemetryMaxPoints: config.telemetryMaxPoints ?? DEFAULT_CONFIG.telemetryMaxPoints,
    telemetryMaxBytes: config.telemetryMaxBytes ?? DEFAULT_CONFIG.telemetryMaxBytes,
    layoutMaxVersions: config.layoutMaxVersions ?? DEFAULT_CONFIG.layoutMaxVersions,
  };
}
