// The mappings in force. Every connector looks its topics up here, so a reload replaces the set for
// all of them at once, between two messages: a message is mapped wholly by the old set or the new.
import type { MappingLookup, MappingMatch, MappingSet } from './MappingSet.js';

export class LiveMappings implements MappingLookup {
  #current: MappingSet;

  constructor(initial: MappingSet) {
    this.#current = initial;
  }

  get current(): MappingSet {
    return this.#current;
  }

  /** Puts a fully compiled set in force; compile it first, so a bad file never replaces a good set. */
  replace(next: MappingSet): void {
    this.#current = next;
  }

  match(topic: string): MappingMatch | undefined {
    return this.#current.match(topic);
  }
}
