// Security headers on every response, pages and API alike: a Content-Security-Policy for the pages
// (nothing but this origin's own scripts, no framing), nosniff, no Referer, and HSTS over HTTPS.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * What the pages may load. Scripts only from /world/assets (the Vite bundle) and /docs, plus the start
 * page's one inline script by its per-response nonce. Styles may be inline: the start page has a
 * <style> block and its markup carries style attributes. glTF models embed their textures and buffers,
 * which three.js's GLTFLoader turns into blob: and data: URLs. The live and collaboration WebSockets
 * are same-origin, which 'self' covers (CSP Level 3), so no other host can be reached.
 */
const DIRECTIVES: ReadonlyArray<readonly [string, ...string[]]> = [
  ['default-src', "'self'"],
  ['base-uri', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'", "'unsafe-inline'"],
  ['img-src', "'self'", 'data:', 'blob:'],
  ['font-src', "'self'", 'data:'],
  ['connect-src', "'self'", 'data:', 'blob:'],
  ['worker-src', "'self'", 'blob:'],
  ['object-src', "'none'"],
  ['form-action', "'self'"],
  ['frame-ancestors', "'none'"],
];

/** The Content-Security-Policy header, allowing the inline scripts that carry `scriptNonce` if given. */
export function contentSecurityPolicy(scriptNonce?: string): string {
  return DIRECTIVES.map(([name, ...sources]) =>
    [name, ...sources, ...(name === 'script-src' && scriptNonce ? [`'nonce-${scriptNonce}'`] : [])].join(' '),
  ).join('; ');
}

/** A fresh nonce for a page's inline script: unguessable, so an injected script cannot carry it. */
export function scriptNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Sets the headers on every request before anything can answer it (authentication refusals and 404s
 * included). helmet decides them once, here; per request they are a precomputed set handed to fastify,
 * which costs a third of running helmet's middleware on each response.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const common = {
    // Ours above: the start page adds a nonce to it.
    contentSecurityPolicy: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  } as const;
  const policy = { 'content-security-policy': contentSecurityPolicy() };
  const overHttp = { ...headersOf(helmet({ ...common, strictTransportSecurity: false })), ...policy };
  // Only over HTTPS (our own TLS, or a proxy's that trustProxy vouches for): over plain HTTP a browser
  // ignores it. No includeSubDomains: other hosts under the plant's domain are not ours to decide.
  const overHttps = {
    ...headersOf(
      helmet({ ...common, strictTransportSecurity: { maxAge: 365 * 24 * 3600, includeSubDomains: false } }),
    ),
    ...policy,
  };
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.protocol === 'https' ? overHttps : overHttp);
    done();
  });
}

/** The headers a helmet middleware sets (they do not depend on the request). */
function headersOf(middleware: ReturnType<typeof helmet>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    removeHeader: () => {},
  };
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}
