// Compiled mappings behind a topic trie: one walk over the topic's levels finds the mapping,
// however many thousands there are. Built by compileMappings (compile.ts).
import { identifierProblem } from '../../core/id.js';
import type { PatternLevel } from './topic-pattern.js';

export type FieldKind = 'number' | 'string' | 'boolean';

/** How one payload value becomes one twin field: `value * scale + offset`, then stored as `field`. */
export interface FieldMapping {
  /** The payload key ("" for a whole-payload value). */
  readonly key: string;
  readonly field: string;
  /** Declared by the mapping (`type`), or "number" when it converts units or scales. */
  readonly kind: FieldKind | undefined;
  readonly scale: number;
  readonly offset: number;
}

/**
 * `command`: messages to devices that pass through the broker and are not stored. `plain`: the
 * payload is one bare value as text (`running`, `12.5`), not JSON.
 */
export type PayloadFormat = 'values' | 'envelope' | 'sparkplug' | 'command' | 'plain';

/**
 * A Sparkplug B mapping's own settings. Its twin templates refer to the levels of the Sparkplug
 * topic, not to the mapping's topic pattern: index 0 is the group, 1 the edge node, 2 the device.
 */
export interface SparkplugMapping {
  /** The twin of a device's metrics (DBIRTH, DDATA, DDEATH). */
  readonly twin: readonly (string | number)[];
  /** The twin of the edge node's own metrics; undefined: node metrics are not stored. */
  readonly nodeTwin: readonly (string | number)[] | undefined;
  /** The boolean field that births set true and deaths false; undefined: none is written. */
  readonly online: string | undefined;
}

/** One entry of the mapping file, compiled. */
export interface CompiledMapping {
  /** Position in the file, for messages. */
  readonly index: number;
  readonly topic: string;
  readonly payload: PayloadFormat;
  /** Whole-payload mapping (`field:`), for bare values and {"value": …} objects; for `plain` its kind is set. */
  readonly value: FieldMapping | undefined;
  /** Per-key mappings (`fields:`). */
  readonly fields: ReadonlyMap<string, FieldMapping> | undefined;
  /** Keep payload keys that `fields` does not list, under their own names. */
  readonly keepOthers: boolean;
  /** Twin identifier template: literal text, or the index of a single-level capture (-1: the `#` rest). */
  readonly twin: readonly (string | number)[] | undefined;
  /** Set for `payload: sparkplug`, whose `twin` above is then undefined. */
  readonly sparkplug?: SparkplugMapping;
}

export interface MappingMatch {
  readonly mapping: CompiledMapping;
  /**
   * The twin the topic names, normalised. For an envelope mapping it is the scope that the
   * envelope's twins must lie in, or undefined when the mapping sets none.
   */
  readonly twin: string | undefined;
  /** Set when the topic matched but its levels do not make a valid identifier. */
  readonly error?: string;
}

/** What a connector needs of the mappings: the lookup of a topic. */
export interface MappingLookup {
  match(topic: string): MappingMatch | undefined;
}

interface TrieNode {
  literal: Map<string, TrieNode> | undefined;
  single: TrieNode | undefined;
  /** A mapping whose pattern ends here with `#`. */
  multi: CompiledMapping | undefined;
  /** A mapping whose pattern ends exactly here. */
  end: CompiledMapping | undefined;
}

function node(): TrieNode {
  return { literal: undefined, single: undefined, multi: undefined, end: undefined };
}

export class MappingSet implements MappingLookup {
  readonly #root = node();
  readonly #mappings: CompiledMapping[] = [];

  /** Adds a mapping; returns the mapping already holding the same topic shape, if any. */
  add(levels: readonly PatternLevel[], mapping: CompiledMapping): CompiledMapping | undefined {
    let at = this.#root;
    for (const level of levels) {
      if (level.kind === 'literal') {
        at.literal ??= new Map();
        let next = at.literal.get(level.value);
        if (!next) at.literal.set(level.value, (next = node()));
        at = next;
      } else if (level.kind === 'single') {
        at = at.single ??= node();
      } else {
        if (at.multi) return at.multi;
        at.multi = mapping;
        this.#mappings.push(mapping);
        return undefined;
      }
    }
    if (at.end) return at.end;
    at.end = mapping;
    this.#mappings.push(mapping);
    return undefined;
  }

  get size(): number {
    return this.#mappings.length;
  }

  /** The compiled entries, in file order. */
  get mappings(): readonly CompiledMapping[] {
    return [...this.#mappings].sort((a, b) => a.index - b.index);
  }

  /**
   * The mapping for a topic. When several patterns match, the most specific wins, level by level
   * from the left: a literal level beats `+`/`{name}`, which beats `#`.
   */
  match(topic: string): MappingMatch | undefined {
    const levels = topic.split('/');
    const captures: string[] = [];
    let restFrom = -1;
    // MQTT: wildcards at the first level never match topics that start with "$".
    const dollar = topic.startsWith('$');

    const walk = (at: TrieNode, i: number): CompiledMapping | undefined => {
      if (i === levels.length) {
        if (at.end) return at.end;
        if (at.multi) {
          restFrom = i;
          return at.multi;
        }
        return undefined;
      }
      const level = levels[i] as string;
      const lit = at.literal?.get(level);
      if (lit) {
        const found = walk(lit, i + 1);
        if (found) return found;
      }
      const wild = !(dollar && i === 0);
      if (at.single && wild) {
        captures.push(level);
        const found = walk(at.single, i + 1);
        if (found) return found;
        captures.pop();
      }
      if (at.multi && wild) {
        restFrom = i;
        return at.multi;
      }
      return undefined;
    };

    const mapping = walk(this.#root, 0);
    if (!mapping) return undefined;
    if (!mapping.twin) return { mapping, twin: undefined };
    let text = '';
    for (const part of mapping.twin) {
      if (typeof part === 'string') text += part;
      else if (part >= 0) text += captures[part] ?? '';
      else text += restFrom >= 0 ? levels.slice(restFrom).join('/') : '';
    }
    const problem = identifierProblem(text);
    if (problem !== undefined) {
      return { mapping, twin: undefined, error: `topic "${topic}" gives twin "${text}": ${problem}` };
    }
    const slash = text.indexOf('/');
    return { mapping, twin: text.slice(0, slash).toUpperCase() + text.slice(slash) };
  }
}
