// The layout draft as a Yjs document, as every editor writes it (the browser's design mode, tests):
// `objects` maps a twin id to a Y.Map of its overridden fields (one entry per field, so two people
// moving two machines, or one moving and one turning the same machine, merge without conflict), or
// `removed: true`; `draft:<uuid>` ids hold added equipment. `meta` holds name, base and createdBy.
// docs/layout-design.md describes it. Reading it strictly for a saved version is src/world/layout-draft.ts.
import { Map as YMap, type Doc, type Transaction, type YMapEvent } from 'yjs';
import {
  ADDED_PREFIX,
  LAYOUT_FIELDS,
  type AddedEquipment,
  type LayoutFields,
  type LayoutOverride,
} from './wire-layout.js';

type Entry = YMap<unknown>;

/** What a remote or local change touched. */
export interface DraftChange {
  readonly ids: ReadonlySet<string>;
  /** Made by someone else (arrived over the network). */
  readonly remote: boolean;
}

export class DraftDoc {
  readonly objects: YMap<Entry>;
  readonly meta: YMap<unknown>;
  /**
   * Fields this editor wrote, per object, and the map it wrote them into. Two editors who first touch
   * the same object at once each create its map and only one map survives the merge; an editor that
   * sees its map replaced writes its fields again into the survivor (unless the survivor has them),
   * so that a move and a concurrent turn both stay, however many editors raced.
   */
  private readonly written = new Map<string, { map: Entry; fields: Map<string, unknown> }>();

  constructor(
    readonly doc: Doc,
    /** Transaction origin of this editor's own edits. */
    readonly origin: unknown = 'local',
  ) {
    this.objects = doc.getMap<Entry>('objects');
    this.meta = doc.getMap('meta');
    this.objects.observe(this.repairer);
  }

  private readonly repairer = (event: YMapEvent<Entry>, transaction: Transaction): void =>
    this.repair(event, transaction);

  /** Stops watching the document: an editor for one request must not outlive it. */
  dispose(): void {
    this.objects.unobserve(this.repairer);
  }

  /** Overrides fields of a twin (absolute values) or of added equipment. */
  set(id: string, fields: Partial<LayoutFields> | { removed: true }): void {
    this.doc.transact(() => {
      let entry = this.objects.get(id);
      if (!(entry instanceof YMap)) {
        entry = new YMap();
        this.objects.set(id, entry);
      }
      let mine = this.written.get(id);
      if (!mine) this.written.set(id, (mine = { map: entry, fields: new Map() }));
      mine.map = entry;
      for (const [key, value] of Object.entries(fields)) {
        entry.set(key, value);
        mine.fields.set(key, value);
      }
    }, this.origin);
  }

  /** Removes a twin from the design, or deletes equipment the draft added. */
  remove(id: string): void {
    if (id.startsWith(ADDED_PREFIX)) {
      this.doc.transact(() => this.objects.delete(id), this.origin);
      this.written.delete(id);
    } else this.set(id, { removed: true });
  }

  /** Puts a twin back as the plant has it: drops every override and the removal. */
  reset(id: string): void {
    this.doc.transact(() => this.objects.delete(id), this.origin);
    this.written.delete(id);
  }

  /** Adds equipment under a new `draft:<uuid>` id, which it returns. */
  add(equipment: AddedEquipment): string {
    const id = `${ADDED_PREFIX}${uuid()}`;
    this.set(id, { ...equipment } as Partial<LayoutFields>);
    return id;
  }

  /** A twin's overrides, or an added object's fields, leniently read (values of the wrong type are skipped). */
  get(id: string): (LayoutOverride & Partial<Pick<AddedEquipment, 'kind' | 'name' | 'model'>>) | undefined {
    const entry = this.objects.get(id);
    if (!(entry instanceof YMap)) return undefined;
    const out: Record<string, unknown> = {};
    for (const field of LAYOUT_FIELDS) {
      const value = entry.get(field);
      if (typeof value === 'number' && Number.isFinite(value)) out[field] = value;
    }
    if (entry.get('removed') === true) out.removed = true;
    for (const key of ['kind', 'name', 'model']) {
      const value = entry.get(key);
      if (typeof value === 'string') out[key] = value;
    }
    return out as LayoutOverride;
  }

  ids(): string[] {
    return [...this.objects.keys()];
  }

  /** Objects the draft changes, removes or adds. */
  changeCount(): number {
    let count = 0;
    for (const entry of this.objects.values()) if (entry instanceof YMap && entry.size > 0) count++;
    return count;
  }

  /** Calls back after each change with the objects it touched. */
  observe(listener: (change: DraftChange) => void): () => void {
    const handler = (
      events: Array<{ path: unknown[]; target: unknown; changes: { keys: Map<string, unknown> } }>,
      transaction: Transaction,
    ): void => {
      const ids = new Set<string>();
      for (const event of events) {
        if (event.target === this.objects) for (const key of event.changes.keys.keys()) ids.add(key);
        else if (typeof event.path[0] === 'string') ids.add(event.path[0]);
      }
      if (ids.size > 0) listener({ ids, remote: transaction.origin !== this.origin && !transaction.local });
    };
    this.objects.observeDeep(handler as never);
    return () => this.objects.unobserveDeep(handler as never);
  }

  private repair(event: YMapEvent<Entry>, transaction: Transaction): void {
    if (transaction.origin === this.origin) return;
    const lost: Array<[Entry, Map<string, unknown>]> = [];
    for (const id of event.keysChanged) {
      const mine = this.written.get(id);
      if (!mine) continue;
      const now = this.objects.get(id);
      if (now === mine.map) continue;
      if (!(now instanceof YMap)) {
        // Reset or deleted by someone: what this editor wrote there is gone on purpose.
        this.written.delete(id);
        continue;
      }
      mine.map = now;
      lost.push([now, mine.fields]);
    }
    if (lost.length === 0) return;
    // Yjs runs a change made in an observer as a transaction of its own, right after this one.
    this.doc.transact(() => {
      for (const [survivor, fields] of lost) {
        for (const [key, value] of fields) if (!survivor.has(key)) survivor.set(key, value);
      }
    }, this.origin);
  }
}

function uuid(): string {
  // randomUUID needs a secure context; a plant LAN served over http is not one.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
