import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../server/platform.js';

let dir: string;
let core: Core;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'imverse-pipeline-'));
  core = await openCore({ dataDir: dir, sqliteSynchronous: 'normal' });
});
afterEach(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

const machine = (id: string) => core.graph.putTwin(id, { $metadata: { $model: 'dtmi:imverse:Machine;1' } });
const t = Date.parse('2026-11-25T08:00:00.000Z');

describe('IngestPipeline', () => {
  it('accepts values for a twin created after an earlier value for it was refused', async () => {
    const point = { twin: 'P/late', field: 'temperature', time: t, value: 20 };
    const before = await core.ingest.ingest({ source: 'test', points: [point] });
    expect(before.rejected.map((r) => r.code)).toEqual(['IMV_INGEST_TWIN_UNKNOWN']);
    await machine('P/late');
    const after = await core.ingest.ingest({ source: 'test', points: [point] });
    expect(after).toEqual({ accepted: 1, rejected: [] });
  });

  it('takes the fields of an Object field by dotted name, into twin state and history', async () => {
    await core.graph.putTwin('P/agv', { $metadata: { $model: 'dtmi:imverse:AGV;1' } });
    const result = await core.ingest.ingest({
      source: 'test',
      points: [
        { twin: 'P/agv', field: 'position.x', time: t, value: 12.5 },
        { twin: 'P/agv', field: 'position.y', time: t, value: 30 },
        { twin: 'P/agv', field: 'position.altitude', time: t, value: 1 },
        { twin: 'P/agv', field: 'speed.x', time: t, value: 1 },
      ],
    });
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([
      [2, 'IMV_INGEST_FIELD_UNKNOWN'],
      [3, 'IMV_INGEST_FIELD_UNKNOWN'],
    ]);
    await core.ingest.ingest({
      source: 'test',
      points: [{ twin: 'P/agv', field: 'position.x', time: t + 1000, value: 13 }],
    });
    const doc = (await core.store.getTwin('P/agv'))!.doc;
    expect(doc.position).toEqual({ x: 13, y: 30 });
    expect(doc.$metadata.position).toMatchObject({ sourceTime: new Date(t + 1000).toISOString() });
    const xs = await core.history.range({ twin: 'P/agv', field: 'position.x' }, t, t + 2000);
    expect(xs.map((sample) => sample.value)).toEqual([12.5, 13]);
  });

  it('commits concurrent batches together and answers each once durable', async () => {
    await machine('P/m');
    const batches = Array.from({ length: 20 }, (_, b) =>
      core.ingest.ingest({
        source: 'test',
        points: Array.from({ length: 50 }, (_, i) => ({
          twin: 'P/m',
          field: 'temperature',
          time: t + b * 50 + i,
          value: i,
        })),
      }),
    );
    const results = await Promise.all(batches);
    expect(results.every((r) => r.accepted === 50)).toBe(true);
    const samples = await core.history.range({ twin: 'P/m', field: 'temperature' }, t, t + 1000);
    expect(samples).toHaveLength(1000);
    expect((await core.store.getTwin('P/m'))?.doc.temperature).toBe(49);
  });

  it('rounds sub-millisecond source times instead of refusing them', async () => {
    await machine('P/m');
    const result = await core.ingest.ingest({
      source: 'test',
      points: [{ twin: 'P/m', field: 'temperature', time: t + 0.6, value: 1 }],
    });
    expect(result.accepted).toBe(1);
    expect(await core.history.range({ twin: 'P/m', field: 'temperature' }, t, t + 10)).toEqual([
      expect.objectContaining({ time: t + 1, value: 1 }),
    ]);
  });

  it('counts and dead-letters what it refuses', async () => {
    await machine('P/m');
    await core.ingest.ingest({
      source: 'test',
      points: [{ twin: 'P/m', field: 'temperature', time: t, value: Number.POSITIVE_INFINITY }],
    });
    core.ingest.reject(
      'test',
      'IMV_INGEST_PAYLOAD_MALFORMED',
      'not JSON',
      new Uint8Array([0xff, 0x00, 0x41]),
      'a/b',
    );
    await core.ingest.drain();
    expect(core.ingest.counters.snapshot().test).toMatchObject({
      received: 2,
      accepted: 0,
      rejected: { IMV_INGEST_VALUE_INVALID: 1, IMV_INGEST_PAYLOAD_MALFORMED: 1 },
    });
    const letters = core.deadLetters.list({ limit: 10 });
    expect(letters[0]).toMatchObject({
      code: 'IMV_INGEST_PAYLOAD_MALFORMED',
      topic: 'a/b',
      encoding: 'base64',
      payload: '/wBB',
    });
    expect(letters[1]).toMatchObject({ code: 'IMV_INGEST_VALUE_INVALID' });
  });
});
