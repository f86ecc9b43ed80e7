// HTTP and WebSocket access to the platform as the signed-in person: the browser sends the session
// cookie (HttpOnly, so no script here ever holds a credential), and requests that change something
// carry the session's CSRF token from the imv_csrf cookie (docs/people.md). Nothing goes to
// localStorage; a token left there by an older version is removed.
const OLD_TOKEN_KEY = 'imverse.token';
const CSRF_COOKIE = 'imv_csrf';

try {
  localStorage.removeItem(OLD_TOKEN_KEY);
} catch {
  // Storage may be off (private mode); there is then nothing to remove either.
}

/** The server wants a signed-in person (no session, or it ended). */
export class AuthRequiredError extends Error {
  override readonly name = 'AuthRequiredError';
  constructor() {
    super('Sign in to see this');
  }
}

/** A problem+json answer other than 401, with the platform's stable code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

function csrfToken(): string {
  const pair = document.cookie.split('; ').find((cookie) => cookie.startsWith(`${CSRF_COOKIE}=`));
  return pair === undefined ? '' : decodeURIComponent(pair.slice(CSRF_COOKIE.length + 1));
}

/**
 * fetch on this site with the session: unsafe methods carry X-CSRF-Token, and send their Origin (the
 * site-wide no-referrer policy would otherwise make it "null", which the server refuses).
 */
export function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return fetch(path, { ...init, credentials: 'same-origin' });
  const headers = new Headers(init.headers);
  headers.set('x-csrf-token', csrfToken());
  return fetch(path, { ...init, headers, credentials: 'same-origin', referrerPolicy: 'same-origin' });
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await apiFetch(path);
  if (res.status === 401) throw new AuthRequiredError();
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(res.status, problem.code ?? `HTTP_${res.status}`, problem.detail ?? res.statusText);
  }
  return (await res.json()) as T;
}

export const twinPath = (id: string): string => `/api/v1/twins/${encodeURIComponent(id)}`;

/** The browser sends the session cookie on a same-origin WebSocket upgrade: no token in the URL. */
export function liveUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/v1/live`;
}

/** The session ended (or there was none): the sign-in page, which brings the person back here. */
export function signInAgain(): void {
  location.assign(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
}
