// HTTP and WebSocket access to the platform with the viewer's token, as the start page does it:
// the token lives in localStorage under the same key, so a token entered on one page serves both.
const TOKEN_KEY = 'imverse.token';

/** The server wants a token (none stored, or the stored one was refused). */
export class AuthRequiredError extends Error {
  override readonly name = 'AuthRequiredError';
  constructor() {
    super('This server needs a bearer token');
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

export function storedToken(): string {
  return localStorage.getItem(TOKEN_KEY) ?? '';
}

export function storeToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token.trim());
}

export async function getJson<T>(path: string): Promise<T> {
  const token = storedToken();
  const res = await fetch(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (res.status === 401) throw new AuthRequiredError();
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(res.status, problem.code ?? `HTTP_${res.status}`, problem.detail ?? res.statusText);
  }
  return (await res.json()) as T;
}

export const twinPath = (id: string): string => `/api/v1/twins/${encodeURIComponent(id)}`;

/** Browsers cannot set headers on a WebSocket: the token goes as `access_token` (docs/api.md). */
export function liveUrl(): string {
  const token = storedToken();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/v1/live${token ? `?access_token=${encodeURIComponent(token)}` : ''}`;
}

/** Shows the token form once; storing a token reloads the page so every request uses it. */
export function askForToken(): void {
  const form = document.querySelector<HTMLFormElement>('#auth');
  const input = document.querySelector<HTMLInputElement>('#token');
  if (!form || !input) return;
  form.hidden = false;
  input.focus();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    storeToken(input.value);
    location.reload();
  });
  input.addEventListener('change', () => form.requestSubmit());
}
