// The audit capability on a running platform: opens audit.sqlite in the data directory, records
// every security event on the bus from then on, and serves GET /api/v1/audit.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { EventBus } from '../../bus/bus.js';
import { AuditLog } from './AuditLog.js';
import { auditRoutes } from './audit-routes.js';
import { AUDIT_FILE, SqliteAuditStore } from './sqlite-store.js';

export interface AuditPluginOptions {
  /** Where audit.sqlite lives; in memory without one. */
  readonly dataDir?: string;
  readonly bus: EventBus;
  readonly logger: Logger;
  /** Identical refusals within this many seconds become one record with a count. */
  readonly refusalWindowSeconds: number;
  /** Kinds of refusal (source, action, code) counted apart per window; past it, by code alone. */
  readonly refusalKinds: number;
}

export async function auditPlugin(app: FastifyInstance, options: AuditPluginOptions): Promise<void> {
  const store = new SqliteAuditStore(
    options.dataDir === undefined ? ':memory:' : join(options.dataDir, AUDIT_FILE),
  );
  const audit = new AuditLog(store, {
    windowMs: options.refusalWindowSeconds * 1000,
    maxKinds: options.refusalKinds,
    onError: (error, entry) => options.logger.error({ err: error, entry }, 'audit record not written'),
  });
  audit.subscribe(options.bus);
  app.addHook('onClose', async () => audit.close());
  await app.register(auditRoutes, { audit });
}
