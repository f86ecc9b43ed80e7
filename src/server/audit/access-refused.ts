// The security event of a request refused at the HTTP edge (401 or 403), for the audit log.
import type { FastifyRequest } from 'fastify';
import { makeEvent } from '../../core/events.js';
import { SECURITY_EVENT_TYPES, type ImverseEvent, type SecurityEventData } from '../../core/wire.js';

export function accessRefusedEvent(request: FastifyRequest, code: string): ImverseEvent<SecurityEventData> {
  const principal = request.principal;
  return makeEvent<SecurityEventData>(SECURITY_EVENT_TYPES.accessRefused, {
    actor: principal?.name ?? 'anonymous',
    ...(principal?.credential === undefined ? {} : { credential: principal.credential }),
    action: `${request.method} ${routePattern(request.routeOptions.url)}`,
    // Never the query: a WebSocket carries its token there.
    target: request.url.split('?')[0]!,
    source: request.ip,
    result: 'refused',
    code,
  });
}

/** `/api/v1/twins/:id` as the API reference writes it: `/api/v1/twins/{id}`. */
function routePattern(url: string | undefined): string {
  return url === undefined ? '(no route)' : url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
