// JSON requests of the design feature as the signed-in person; problem+json answers become ApiError.
import { ApiError, apiFetch, AuthRequiredError } from '../api.js';
import { t } from '../i18n/world-page.js';

export async function sendJson<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await apiFetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status === 401) throw new AuthRequiredError();
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(res.status, problem.code ?? `HTTP_${res.status}`, problem.detail ?? res.statusText);
  }
  return (await res.json()) as T;
}

/** A message for people: the server's detail without the code prefix. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return t('design.forbidden');
    return error.message.replace(/^IMV_[A-Z_]+: /, '');
  }
  return error instanceof Error ? error.message : String(error);
}
