// The timeline's history reads on the demo plant: the plant at a moment, changes in a window with
// paging, tenant scope, and bad input refused with stable codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changesOf,
  type Change,
  type WorldChangesAnswer,
  type WorldStatesAnswer,
} from '../src/core/wire-timeline.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let p: TestPlatform;
const T0 = Date.UTC(2026, 0, 1);
const A = '88.100.1/line-1/st-01';
const B = '88.100.1/line-1/st-02';
const AGV = '88.100.1/agv-01';

beforeAll(async () => {
  p = await startTestPlatform({ demo: true });
  const at = (s: number) => T0 + s * 1000;
  await p.platform.core.history.append([
    { twin: A, field: 'state', time: at(0), value: 'running' },
    { twin: B, field: 'state', time: at(0), value: 'idle' },
    { twin: A, field: 'state', time: at(10), value: 'down' },
    { twin: B, field: 'state', time: at(10), value: 'running' },
    { twin: A, field: 'state', time: at(20), value: 'running' },
    { twin: AGV, field: 'position.x', time: at(5), value: 12.5 },
    { twin: AGV, field: 'position.y', time: at(5), value: 40 },
    { twin: AGV, field: 'position.x', time: at(15), value: 20 },
  ]);
});
afterAll(async () => p.close());

const get = async <T>(path: string, token?: string): Promise<T> => {
  const res = await p.api(path, token === undefined ? {} : { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
};
const problem = async (path: string): Promise<{ status: number; code: string }> => {
  const res = await p.api(path);
  const body = (await res.json()) as { code: string };
  expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  return { status: res.status, code: body.code };
};

describe('GET /api/v1/world/states', () => {
  it('gives each twin’s state at a moment and where history starts', async () => {
    const at15 = await get<WorldStatesAnswer>(
      `/api/v1/world/states?at=${new Date(T0 + 15_000).toISOString()}`,
    );
    expect(at15.at).toBe(T0 + 15_000);
    expect(at15.fields).toEqual(['state']);
    expect(at15.earliest).toBe(T0);
    expect(at15.states[A]).toEqual({ state: 'down' });
    expect(at15.states[B]).toEqual({ state: 'running' });
    expect(at15.now).toBeGreaterThan(T0);
    const before = await get<WorldStatesAnswer>(`/api/v1/world/states?at=${T0 - 1}`);
    expect(before.states[A]).toBeUndefined();
  });

  it('replays several fields, e.g. where an AGV was', async () => {
    const answer = await get<WorldStatesAnswer>(
      `/api/v1/world/states?at=${T0 + 16_000}&fields=state,position.x,position.y`,
    );
    expect(answer.fields).toEqual(['state', 'position.x', 'position.y']);
    expect(answer.states[AGV]).toEqual({ 'position.x': 20, 'position.y': 40 });
    expect(answer.states[A]).toEqual({ state: 'down' });
  });

  it('shows a token of another tenant nothing', async () => {
    const res = await p.api('/api/v1/tokens', {
      method: 'POST',
      json: { name: 'other', role: 'reader', prefixes: ['88.200.2'] },
    });
    const { token } = (await res.json()) as { token: string };
    const answer = await get<WorldStatesAnswer>(`/api/v1/world/states?at=${T0 + 15_000}`, token);
    expect(answer.states).toEqual({});
    expect(answer.earliest).toBeNull();
    const changes = await get<WorldChangesAnswer>(
      `/api/v1/world/changes?from=${T0}&to=${T0 + 60_000}`,
      token,
    );
    expect(changes.changes).toEqual([]);
  });
});

describe('GET /api/v1/world/changes', () => {
  const window = `from=${T0}&to=${T0 + 60_000}`;
  const summary = (changes: Change[]) => changes.map((c) => [(c.time - T0) / 1000, c.twin, c.field, c.value]);

  it('gives every change of the fields in the window, oldest first', async () => {
    const page = await get<WorldChangesAnswer>(`/api/v1/world/changes?${window}&fields=state,position.x`);
    expect(page.continuation).toBeUndefined();
    expect(page.until).toBe(T0 + 60_000);
    expect(summary(changesOf(page))).toEqual([
      [0, A, 'state', 'running'],
      [0, B, 'state', 'idle'],
      [5, AGV, 'position.x', 12.5],
      [10, A, 'state', 'down'],
      [10, B, 'state', 'running'],
      [15, AGV, 'position.x', 20],
      [20, A, 'state', 'running'],
    ]);
    const late = await get<WorldChangesAnswer>(`/api/v1/world/changes?from=${T0 + 10_000}&to=${T0 + 20_000}`);
    expect(summary(changesOf(late))).toEqual([
      [10, A, 'state', 'down'],
      [10, B, 'state', 'running'],
    ]);
  });

  it('pages with a continuation, splitting changes at one time without loss', async () => {
    const all: Change[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const page: WorldChangesAnswer = await get<WorldChangesAnswer>(
        `/api/v1/world/changes?${window}&limit=1${continuation ? `&continuation=${continuation}` : ''}`,
      );
      expect(page.changes.length).toBeLessThanOrEqual(1);
      all.push(...changesOf(page));
      continuation = page.continuation;
      pages++;
    } while (continuation !== undefined && pages < 10);
    expect(summary(all)).toEqual([
      [0, A, 'state', 'running'],
      [0, B, 'state', 'idle'],
      [10, A, 'state', 'down'],
      [10, B, 'state', 'running'],
      [20, A, 'state', 'running'],
    ]);
  });

  it('refuses bad times, windows, fields, limits and continuations with stable codes', async () => {
    const cases: Array<[string, number, string]> = [
      ['/api/v1/world/states?at=yesterday', 400, 'IMV_TIMELINE_TIME_INVALID'],
      ['/api/v1/world/states?fields=*', 400, 'IMV_TIMELINE_FIELDS_INVALID'],
      ['/api/v1/world/states?fields=a,b,c,d,e,f,g,h,i', 400, 'IMV_TIMELINE_FIELDS_INVALID'],
      ['/api/v1/world/changes', 400, 'IMV_REQUEST_INVALID'],
      ['/api/v1/world/changes?from=soon', 400, 'IMV_TIMELINE_TIME_INVALID'],
      [`/api/v1/world/changes?from=${T0 + 1}&to=${T0}`, 400, 'IMV_TIMELINE_WINDOW_INVALID'],
      [`/api/v1/world/changes?from=${T0}&to=${T0 + 25 * 3_600_000}`, 400, 'IMV_TIMELINE_WINDOW_INVALID'],
      [`/api/v1/world/changes?${window}&limit=0`, 400, 'IMV_REQUEST_INVALID'],
      [`/api/v1/world/changes?${window}&limit=20001`, 400, 'IMV_REQUEST_INVALID'],
      [`/api/v1/world/changes?${window}&continuation=abc`, 400, 'IMV_CONTINUATION_INVALID'],
      [`/api/v1/world/changes?${window}&continuation=${T0 + 60_000}.0`, 400, 'IMV_CONTINUATION_INVALID'],
    ];
    for (const [path, status, code] of cases) expect(await problem(path), path).toEqual({ status, code });
  });

  it('needs a token where there is no demo access', async () => {
    const res = await p.api(`/api/v1/world/changes?${window}`, { token: 'not-a-token' });
    expect(res.status).toBe(401);
  });
});
