// Runs every example in docs/api.md, in document order, against one real platform, so the API
// reference cannot drift from the code.
//
// The examples are fenced blocks:
//   ```http  a request (`METHOD /path`, headers, blank line, body), then ```http with
//            `HTTP/1.1 <status> …`, the headers and the body that matter;
//   ```ws    a WebSocket transcript: `GET /api/v1/live?…` opens a connection, `>` sends a
//            message, `<` expects the next one; a block without the GET line continues the
//            connection the previous ws block opened.
// A documented response is a subset of the real one: objects may leave out fields, "…" stands
// for any value (inside a string: any text; as the last array element: any further elements).
// `$NAME` (capitals) in a request is a variable; in a response, a value `"$NAME"` captures the
// real value the first time and must equal it afterwards. `$TOKEN` is the first-start admin token.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

const DOC_URL = new URL('../docs/api.md', import.meta.url);
const ANY = '…';
const VARIABLE = /\$([A-Z][A-Z0-9_]*)/g;

interface HttpRequest {
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body: string;
}
interface HttpResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}
type Step =
  | { kind: 'http'; line: number; request: HttpRequest; response?: HttpResponse }
  | { kind: 'ws'; line: number; open?: string; lines: Array<{ dir: '>' | '<'; text: string }> };

/** The examples of a Markdown document, in order. */
function parseExamples(markdown: string): Step[] {
  const steps: Step[] = [];
  const fence = /^```(http|ws)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of markdown.matchAll(fence)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    const text = match[2]!.replace(/\n$/, '');
    if (match[1] === 'ws') {
      steps.push(parseWs(text, line));
      continue;
    }
    const message = parseHttp(text);
    const status = /^HTTP\/[\d.]+ (\d{3})\b/.exec(message.startLine);
    if (status === null) {
      const [method, path] = message.startLine.split(/\s+/);
      if (method === undefined || path === undefined || !/^[A-Z]+$/.test(method)) {
        throw new Error(`docs/api.md:${line}: "${message.startLine}" is neither a request nor a status line`);
      }
      steps.push({
        kind: 'http',
        line,
        request: { method, path, headers: message.headers, body: message.body },
      });
      continue;
    }
    const previous = steps.at(-1);
    if (previous?.kind !== 'http' || previous.response !== undefined) {
      throw new Error(`docs/api.md:${line}: a response with no request before it`);
    }
    previous.response = { status: Number(status[1]), headers: message.headers, body: message.body };
  }
  return steps;
}

function parseHttp(text: string): { startLine: string; headers: Array<[string, string]>; body: string } {
  const lines = text.split('\n');
  const startLine = lines.shift()!.trim();
  const headers: Array<[string, string]> = [];
  while (lines.length > 0 && lines[0]!.trim() !== '') {
    const header = lines.shift()!;
    const colon = header.indexOf(':');
    headers.push([header.slice(0, colon).trim().toLowerCase(), header.slice(colon + 1).trim()]);
  }
  return { startLine, headers, body: lines.join('\n').trim() };
}

function parseWs(text: string, line: number): Step {
  const step: Extract<Step, { kind: 'ws' }> = { kind: 'ws', line, lines: [] };
  for (const raw of text.split('\n')) {
    if (raw.startsWith('GET ')) step.open = raw.slice(4).trim();
    else if (raw.startsWith('> ') || raw.startsWith('< ')) {
      step.lines.push({ dir: raw[0] as '>' | '<', text: raw.slice(2) });
    } else if (raw.trim() !== '') {
      const last = step.lines.at(-1);
      if (last === undefined) throw new Error(`docs/api.md:${line}: "${raw}" before any > or < line`);
      last.text += `\n${raw}`;
    }
  }
  return step;
}

// ---- Matching a documented value against the real one

const vars = new Map<string, string>();

function substitute(text: string): string {
  return text.replace(VARIABLE, (whole, name: string) => {
    const value = vars.get(name);
    if (value === undefined) throw new Error(`${whole} is used before an example defines it`);
    return value;
  });
}

/** Where `actual` differs from the documented `expected`, or undefined when it conforms. */
function mismatch(expected: unknown, actual: unknown, at = ''): string | undefined {
  if (expected === ANY) return actual === undefined ? `${at || '/'}: missing` : undefined;
  if (typeof expected === 'string') {
    const variable = /^\$([A-Z][A-Z0-9_]*)$/.exec(expected);
    if (variable !== null && !vars.has(variable[1]!)) {
      if (typeof actual !== 'string')
        return `${at || '/'}: expected a string to capture, got ${show(actual)}`;
      vars.set(variable[1]!, actual);
      return undefined;
    }
    const wanted = expected.includes('$') ? substitute(expected) : expected;
    if (typeof actual !== 'string' || !stringMatches(wanted, actual)) {
      return `${at || '/'}: expected ${show(wanted)}, got ${show(actual)}`;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at || '/'}: expected an array, got ${show(actual)}`;
    const open = expected.at(-1) === ANY;
    const items = open ? expected.slice(0, -1) : expected;
    if (!open && items.length !== actual.length) {
      return `${at || '/'}: expected ${items.length} item(s), got ${actual.length}`;
    }
    // Each documented item matches a distinct real one, in order when the lengths agree.
    const used = new Set<number>();
    for (const [index, item] of items.entries()) {
      const candidates = !open ? [index] : actual.map((_, i) => i).filter((i) => !used.has(i));
      const hit = candidates.find((i) => mismatch(item, actual[i]) === undefined);
      if (hit === undefined) {
        return open
          ? `${at}/${index}: no item matches ${show(item)}`
          : (mismatch(item, actual[index], `${at}/${index}`) ?? `${at}/${index}: mismatch`);
      }
      used.add(hit);
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      return `${at || '/'}: expected an object, got ${show(actual)}`;
    }
    for (const [key, value] of Object.entries(expected)) {
      const found = mismatch(value, (actual as Record<string, unknown>)[key], `${at}/${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return Object.is(expected, actual)
    ? undefined
    : `${at || '/'}: expected ${show(expected)}, got ${show(actual)}`;
}

function stringMatches(expected: string, actual: string): boolean {
  if (!expected.includes(ANY)) return expected === actual;
  const pattern = expected
    .split(ANY)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(actual);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function checkBody(documented: string, actual: string, contentType: string): void {
  if (documented === '') return;
  if (/^[[{]/.test(documented)) {
    const expected = JSON.parse(documented) as unknown;
    expect(contentType, 'content-type').toMatch(/json/);
    const found = mismatch(expected, JSON.parse(actual));
    expect(found, `body differs:\n${actual.slice(0, 2000)}`).toBeUndefined();
    return;
  }
  // A text body (metrics, HTML): every documented line appears in it.
  for (const line of documented.split('\n')) {
    const wanted = substitute(line.trim());
    const hit = actual.split('\n').some((real) => stringMatches(wanted, real.trim()));
    expect(hit, `line "${wanted}" missing from:\n${actual.slice(0, 2000)}`).toBe(true);
  }
}

// ---- Running the examples

const steps = parseExamples(readFileSync(DOC_URL, 'utf8'));
let p: TestPlatform;
let live: { ws: WebSocket; next: () => Promise<unknown> } | undefined;

beforeAll(async () => {
  p = await startTestPlatform();
  vars.set('TOKEN', p.token);
});
afterAll(async () => {
  live?.ws.close();
  await p.close();
});

async function runHttp(step: Extract<Step, { kind: 'http' }>): Promise<void> {
  const { request, response } = step;
  expect(response, 'every request in docs/api.md is followed by its response').toBeDefined();
  const headers = new Headers(request.headers.map(([name, value]) => [name, substitute(value)]));
  const res = await fetch(`${p.url}${substitute(request.path)}`, {
    method: request.method,
    headers,
    ...(request.body === '' ? {} : { body: substitute(request.body) }),
  });
  const text = await res.text();
  expect(res.status, `status; body:\n${text.slice(0, 2000)}`).toBe(response!.status);
  for (const [name, value] of response!.headers) {
    const found = mismatch(value, res.headers.get(name) ?? undefined, name);
    expect(found, `header ${name}`).toBeUndefined();
  }
  checkBody(response!.body, text, res.headers.get('content-type') ?? '');
}

function connect(path: string): Promise<{ ws: WebSocket; next: () => Promise<unknown> }> {
  const ws = new WebSocket(`${p.url.replace(/^http/, 'ws')}${path}`);
  const queue: unknown[] = [];
  const waiters: Array<(message: unknown) => void> = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as unknown;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      if (queue.length > 0) return resolve(queue.shift());
      const timer = setTimeout(() => reject(new Error('no message within 5 s')), 5000);
      waiters.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }));
    ws.once('unexpected-response', (_request, res) =>
      reject(new Error(`WebSocket upgrade answered ${res.statusCode}`)),
    );
    ws.once('error', reject);
  });
}

async function runWs(step: Extract<Step, { kind: 'ws' }>): Promise<void> {
  if (step.open !== undefined) {
    live?.ws.close();
    live = await connect(substitute(step.open));
  }
  expect(live, 'a ws block without GET continues an open connection').toBeDefined();
  for (const { dir, text } of step.lines) {
    if (dir === '>') {
      live!.ws.send(substitute(text));
      continue;
    }
    const message = await live!.next();
    const found = mismatch(JSON.parse(text), message);
    expect(found, `message differs: ${JSON.stringify(message)}`).toBeUndefined();
  }
}

describe('docs/api.md examples', () => {
  it('has examples', () => {
    expect(steps.filter((step) => step.kind === 'http').length).toBeGreaterThan(30);
    expect(steps.some((step) => step.kind === 'ws')).toBe(true);
  });

  for (const step of steps) {
    const title =
      step.kind === 'http'
        ? `line ${step.line}: ${step.request.method} ${step.request.path}`
        : `line ${step.line}: WebSocket ${step.open ?? '(continued)'}`;
    it(title, async () => {
      if (step.kind === 'http') await runHttp(step);
      else await runWs(step);
    });
  }

  it('shows every endpoint of the OpenAPI document at least once', async () => {
    const openapi = (await (await fetch(`${p.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const shown = steps.flatMap((step) =>
      step.kind === 'http'
        ? [`${step.request.method} ${step.request.path.split('?')[0]}`]
        : step.open !== undefined
          ? [`GET ${step.open.split('?')[0]}`]
          : [],
    );
    const missing: string[] = [];
    for (const [template, operations] of Object.entries(openapi.paths)) {
      const pattern = new RegExp(
        `^${template
          .replace(/[.$]/g, '\\$&')
          .replace(/\{[^}]+\}/g, '[^/]+')
          .replace(/\*$/, '.+')}$`,
      );
      for (const method of Object.keys(operations)) {
        const wanted = method.toUpperCase();
        if (
          !shown.some(
            (entry) => entry.startsWith(`${wanted} `) && pattern.test(entry.slice(wanted.length + 1)),
          )
        ) {
          missing.push(`${wanted} ${template}`);
        }
      }
    }
    expect(missing, 'endpoints with no example in docs/api.md').toEqual([]);
  });
});
