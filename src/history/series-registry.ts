// The series known to a store, in memory: twin → field → id, and id → key and its seriesId name.
// Nested maps because looking up a twin and a field needs no new string per lookup, where a
// combined "twin\0field" key would cost a concatenation and a hash per series (latest() of 10k).
import { seriesId, type SeriesKey } from './store.js';

interface Entry {
  readonly key: SeriesKey;
  readonly name: string;
}

export class SeriesRegistry {
  private readonly byTwin = new Map<string, Map<string, number>>();
  private readonly entries = new Map<number, Entry>();

  get size(): number {
    return this.entries.size;
  }

  id(key: SeriesKey): number | undefined {
    return this.byTwin.get(key.twin)?.get(key.field);
  }

  add(id: number, key: SeriesKey): void {
    let fields = this.byTwin.get(key.twin);
    if (fields === undefined) this.byTwin.set(key.twin, (fields = new Map()));
    fields.set(key.field, id);
    const copy = { twin: key.twin, field: key.field };
    this.entries.set(id, { key: copy, name: seriesId(copy) });
  }

  remove(id: number): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.byTwin.get(entry.key.twin)?.delete(entry.key.field);
    this.entries.delete(id);
  }

  /** The seriesId() of a series, made once. */
  name(id: number): string {
    return this.entries.get(id)!.name;
  }

  *all(): IterableIterator<[number, SeriesKey]> {
    for (const [id, entry] of this.entries) yield [id, entry.key];
  }
}
