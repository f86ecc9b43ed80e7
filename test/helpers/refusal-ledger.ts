// Requests as a given caller, with every refusal they caused written down, so a test can check
// that /metrics and the audit log counted each one: 401 and 403 answers of the HTTP API and of
// WebSocket upgrades, and refusals told on an open WebSocket.
import type { Caller } from './security-fixture.js';
import type { TestPlatform } from './platform.js';

export type Edge = 'http' | 'ws';

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
}

export class RefusalLedger {
  /** `edge code` → how many; for the refusals the edge answers 401 or 403 (the audited ones). */
  readonly edgeRefusals = new Map<string, number>();
  /** Refusals told as an error message on an open WebSocket: counted on /metrics. */
  readonly socketRefusals = new Map<string, number>();

  add(edge: Edge, code: string): void {
    const key = `${edge} ${code}`;
    this.edgeRefusals.set(key, (this.edgeRefusals.get(key) ?? 0) + 1);
  }

  addSocketMessage(code: string): void {
    this.socketRefusals.set(code, (this.socketRefusals.get(code) ?? 0) + 1);
  }

  get audited(): number {
    let sum = 0;
    for (const count of this.edgeRefusals.values()) sum += count;
    return sum;
  }
}

export interface CallInit {
  readonly method?: string;
  readonly json?: unknown;
  readonly patch?: unknown;
}

/** One HTTP request as `caller`; a 401 or 403 is written in the ledger under its problem code. */
export async function call(
  p: TestPlatform,
  ledger: RefusalLedger,
  caller: Caller,
  path: string,
  init: CallInit = {},
): Promise<Answer> {
  const res = await p.api(path, {
    method: init.method ?? 'GET',
    token: caller.token,
    ...(init.json === undefined ? {} : { json: init.json }),
    ...(init.patch === undefined
      ? {}
      : { body: JSON.stringify(init.patch), headers: { 'content-type': 'application/json-patch+json' } }),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.status === 401 || res.status === 403) {
    ledger.add('http', (body as { code?: string } | undefined)?.code ?? '(no code)');
  }
  return { status: res.status, body, text };
}

/** imverse_refusals_total by `edge code`, as /metrics shows it now. */
export async function refusalCounters(p: TestPlatform): Promise<Map<string, number>> {
  const text = await (await p.api('/metrics')).text();
  const counters = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('imverse_refusals_total{')) continue;
    const edge = /edge="([^"]*)"/.exec(line)?.[1];
    const code = /code="([^"]*)"/.exec(line)?.[1];
    counters.set(`${edge} ${code}`, Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return counters;
}

/** The sum of `repeat` over every refused record of the audit log: every refusal it recorded. */
export async function auditedRefusals(p: TestPlatform): Promise<number> {
  let sum = 0;
  let before: number | null = null;
  for (let page = 0; page < 1000; page++) {
    const query: string = before === null ? '' : `&before=${before}`;
    const res = await p.api(`/api/v1/audit?result=refused&limit=1000${query}`);
    if (res.status !== 200) throw new Error(`audit: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { value: Array<{ repeat: number }>; before: number | null };
    for (const record of body.value) sum += record.repeat;
    before = body.before;
    if (before === null) break;
  }
  return sum;
}
