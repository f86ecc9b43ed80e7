// Whether a request that a session cookie authenticates may act: browsers attach cookies to requests
// that other sites make, so an unsafe method needs both the session's CSRF token (synchronizer token)
// and an Origin (or Referer) of this server; a WebSocket upgrade needs the Origin.
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { AuthError } from '../../core/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** This server's origin as the browser sees it: the scheme and Host of the request. */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** The origin the browser says the request came from: Origin, else Referer's, else undefined. */
function claimedOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin;
  const referer = request.headers.referer;
  if (typeof referer !== 'string') return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

export function isSameOrigin(request: FastifyRequest): boolean {
  return claimedOrigin(request) === ownOrigin(request);
}

export function tokensMatch(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws IMV_CSRF_REJECTED unless a cookie-authenticated request may act; `presented` is the token sent. */
export function checkCrossSite(request: FastifyRequest, csrf: string, presented: unknown): void {
  const upgrade = request.headers.upgrade !== undefined;
  if (SAFE_METHODS.has(request.method) && !upgrade) return;
  if (!isSameOrigin(request)) {
    throw new AuthError(
      'IMV_CSRF_REJECTED',
      `A session cookie works only from ${ownOrigin(request)}: this request came from ${claimedOrigin(request) ?? 'an unnamed origin'}`,
    );
  }
  if (!upgrade && !tokensMatch(presented, csrf)) {
    throw new AuthError(
      'IMV_CSRF_REJECTED',
      'This request needs the CSRF token of the session (X-CSRF-Token header or _csrf field)',
    );
  }
}
