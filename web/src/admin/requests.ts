// The administration APIs as the signed-in person (the session cookie and CSRF token, via apiFetch),
// keeping every refusal's code, detail and path so the page can say exactly what was refused.
import { apiFetch, AuthRequiredError } from '../api.js';

/** A problem+json answer: its stable code, the server's detail and the JSON Pointer at fault. */
export class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly path?: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

interface Problem {
  readonly code?: unknown;
  readonly detail?: unknown;
  readonly title?: unknown;
  readonly path?: unknown;
  readonly issues?: ReadonlyArray<{ path?: unknown }>;
}

async function refusalOf(res: Response): Promise<Refusal> {
  const problem = (await res.json().catch(() => ({}))) as Problem;
  const path = typeof problem.path === 'string' ? problem.path : problem.issues?.[0]?.path;
  const detail =
    typeof problem.detail === 'string'
      ? problem.detail
      : typeof problem.title === 'string'
        ? problem.title
        : res.statusText;
  return new Refusal(
    res.status,
    typeof problem.code === 'string' ? problem.code : `HTTP_${res.status}`,
    detail,
    typeof path === 'string' && path !== '' ? path : undefined,
  );
}

/** Sends `body` as JSON; answers the parsed reply (undefined for 204). Throws Refusal or AuthRequiredError. */
export async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await apiFetch(path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (res.status === 401) throw new AuthRequiredError();
  if (!res.ok) throw await refusalOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string): Promise<T> => send<T>('GET', path);
