// Signing a person in against a test platform with plain HTTP, as a browser would: the session cookie
// it sets, and the CSRF token a page sends back.
import type { TestPlatform } from './platform.js';

export interface SignedInClient {
  /** The Cookie header a browser would send. */
  readonly cookie: string;
  readonly csrf: string;
  /** fetch as this browser on this site: its cookie, its Origin and (for unsafe methods) its CSRF token. */
  fetch(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/** `name=value` pairs of a response's Set-Cookie headers. */
export function cookiesOf(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const at = pair!.indexOf('=');
    cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
  return cookies;
}

export async function createUser(
  p: TestPlatform,
  name: string,
  password: string,
  role: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const res = await p.api('/api/v1/users', { method: 'POST', json: { name, password, role, ...extra } });
  if (res.status !== 201) throw new Error(`creating ${name}: ${res.status} ${await res.text()}`);
}

export function signInRequest(p: TestPlatform, name: string, password: string): Promise<Response> {
  return fetch(`${p.url}/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: p.url },
    body: JSON.stringify({ name, password }),
  });
}

export async function signIn(p: TestPlatform, name: string, password: string): Promise<SignedInClient> {
  const res = await signInRequest(p, name, password);
  if (res.status !== 200) throw new Error(`signing in ${name}: ${res.status} ${await res.text()}`);
  const cookies = cookiesOf(res);
  const cookie = `imv_session=${cookies.get('imv_session')}; imv_csrf=${cookies.get('imv_csrf')}`;
  const csrf = cookies.get('imv_csrf')!;
  return {
    cookie,
    csrf,
    fetch(path, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set('cookie', cookie);
      if (!headers.has('origin')) headers.set('origin', p.url);
      if (!headers.has('x-csrf-token')) headers.set('x-csrf-token', csrf);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${p.url}${path}`, {
        ...rest,
        headers,
        redirect: 'manual',
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    },
  };
}

/** A JSON answer, loosely typed for assertions. */
export const body = async (res: Response): Promise<any> => res.json();
