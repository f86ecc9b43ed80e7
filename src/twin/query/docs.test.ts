// Every example in docs/query.md runs, so the user documentation cannot drift from the code.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TestDb } from './test-db.js';

const doc = readFileSync(new URL('../../../docs/query.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());

const t = new TestDb(new Database(':memory:'));
t.twin('building-1', 'dtmi:test:Space;1', { name: 'Building 1' });
t.twin('floor-1', 'dtmi:test:Space;1', { name: 'Floor 1' });
t.twin('room-1', 'dtmi:test:Room;1', { name: 'Room 1', temperature: 21, occupied: true, layout: { x: 1 } });
t.twin('room-2', 'dtmi:test:ConferenceRoom;1', { name: 'Lab 2', temperature: 26, occupied: false });
t.twin('sensor-1', 'dtmi:test:Sensor;1', { name: 'Sensor 1' });
t.relate('building-1', 'contains', 'floor-1');
t.relate('floor-1', 'contains', 'room-1');
t.relate('floor-1', 'contains', 'room-2');
t.relate('room-1', 'has', 'sensor-1', { role: 'primary' });

describe('docs/query.md examples', () => {
  it('has examples', () => {
    expect(examples.length).toBeGreaterThan(8);
  });
  it.each(examples)('%s', (query) => {
    expect(t.query(query).length).toBeGreaterThan(0);
  });
});
