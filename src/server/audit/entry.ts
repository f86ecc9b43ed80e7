// Turns a security event's data into an audit entry that stores and hashes the same after a round
// trip through SQLite: text made well-formed (a lone surrogate would come back as U+FFFD and break
// its hash) and capped, since outsiders choose some of it (the URL path, a user name tried).
import type { SecurityEventData } from '../../core/wire.js';
import type { AuditEntry, AuditResult } from './chain.js';

/** Longest text kept in a field; longer text is cut and ends in `…`. */
export const MAX_FIELD_LENGTH = 512;

const RESULTS: readonly AuditResult[] = ['ok', 'refused', 'failed'];
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function auditEntry(data: Partial<SecurityEventData>, time: number): AuditEntry {
  const optional = (key: 'credential' | 'target' | 'source' | 'code', value: unknown) =>
    typeof value === 'string' && value !== '' ? { [key]: auditText(value) } : {};
  return {
    time: new Date(time).toISOString(),
    actor: typeof data.actor === 'string' && data.actor !== '' ? auditText(data.actor) : 'anonymous',
    ...optional('credential', data.credential),
    action: typeof data.action === 'string' && data.action !== '' ? auditText(data.action) : 'unknown',
    ...optional('target', data.target),
    ...optional('source', data.source),
    // An event that does not say how it ended is not recorded as a success.
    result: RESULTS.includes(data.result as AuditResult) ? (data.result as AuditResult) : 'failed',
    ...optional('code', data.code),
    repeat: 1,
  };
}

export function auditText(text: string): string {
  const capped = text.length > MAX_FIELD_LENGTH ? `${text.slice(0, MAX_FIELD_LENGTH - 1)}…` : text;
  return capped.replace(LONE_SURROGATE, '\uFFFD');
}
