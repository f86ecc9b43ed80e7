// The cookies of a sign-in session: `imv_session` (the secret; HttpOnly, so page scripts never see
// it) and `imv_csrf` (the session's CSRF token, readable by the pages' own scripts, which echo it in
// X-CSRF-Token; a page of another site can neither read it nor make the browser send the header).
import { parse, serialize, type SerializeOptions } from 'cookie';
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'imv_session';
export const CSRF_COOKIE = 'imv_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** The hidden field of the server-rendered forms (sign-out, password change). */
export const CSRF_FIELD = '_csrf';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  const value = parse(header)[name];
  return value === undefined || value === '' ? undefined : value;
}

function base(request: FastifyRequest): SerializeOptions {
  // Lax, not Strict: following a link to /world from another site (a mail, a wiki) finds the person
  // signed in; Lax still keeps the cookie off cross-site POSTs, and the CSRF check covers the rest.
  return { path: '/', sameSite: 'lax', secure: request.protocol === 'https' };
}

export function sessionCookies(request: FastifyRequest, secret: string, csrf: string): string[] {
  return [
    serialize(SESSION_COOKIE, secret, { ...base(request), httpOnly: true }),
    serialize(CSRF_COOKIE, csrf, base(request)),
  ];
}

export function clearedCookies(request: FastifyRequest): string[] {
  return [SESSION_COOKIE, CSRF_COOKIE].map((name) =>
    serialize(name, '', { ...base(request), httpOnly: name === SESSION_COOKIE, maxAge: 0 }),
  );
}
