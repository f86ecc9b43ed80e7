// Keeps web pages of other sites away from the API: a browser lets any page open a WebSocket to any
// address (no CORS), and a page whose name an attacker re-points at 127.0.0.1 (DNS rebinding) even
// reaches plain HTTP as if it were our own page. So a WebSocket upgrade must come from our own origin
// (or one the operator allowed), and where the server trusts the machine itself — bound to loopback,
// or the anonymous local demo — the Host header must name this machine. Clients that are not
// browsers send no Origin and stay allowed.
import type { FastifyRequest } from 'fastify';
import { ImverseError } from '../core/errors.js';

export interface OriginCheckOptions {
  /** The address the API listens on (config `host`). */
  readonly host: string;
  /** The anonymous local demo: loopback callers need no token, so rebinding would give them all. */
  readonly demo: boolean;
  /** Other origins (`https://hmi.plant.example:8443`) whose pages may open WebSockets, comma-separated. */
  readonly allowedOrigins?: string;
  /** Names people reach this server by besides loopback and `host`, comma-separated. */
  readonly publicHost?: string;
}

export function originCheck(options: OriginCheckOptions): (request: FastifyRequest) => Promise<void> {
  const allowedOrigins = new Set(commaList(options.allowedOrigins).map(originOf));
  const knownHosts = new Set([options.host, ...commaList(options.publicHost)].map(hostnameOf));
  const checkHost = options.demo || isLoopbackName(hostnameOf(options.host));
  return async (request) => {
    if (checkHost) {
      const name = request.hostname.toLowerCase();
      if (!isLoopbackName(name) && !knownHosts.has(name)) {
        throw new ImverseError(
          'IMV_HOST_FORBIDDEN',
          `This server does not answer to the name ${JSON.stringify(request.host)}`,
        );
      }
    }
    const origin = request.headers.origin;
    if (request.headers.upgrade === undefined || origin === undefined) return;
    const from = originOf(origin);
    if (
      from !== undefined &&
      (from === originOf(`${request.protocol}://${request.host}`) || allowedOrigins.has(from))
    )
      return;
    throw new ImverseError('IMV_ORIGIN_FORBIDDEN', `WebSockets are not open to pages of ${origin}`);
  };
}

function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** `scheme://host[:port]` as browsers send it (lower case, default port left out), or undefined. */
function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** A host name as fastify's `request.hostname` gives it: lower case, IPv6 in brackets, no port. */
function hostnameOf(value: string): string {
  const name = value.trim().toLowerCase();
  if (name.startsWith('[')) return name.slice(0, name.indexOf(']') + 1);
  // Two colons or more: a bare IPv6 address; one: a name with its port.
  if (name.indexOf(':') !== name.lastIndexOf(':')) return `[${name}]`;
  return name.split(':', 1)[0]!;
}

function isLoopbackName(name: string): boolean {
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}
