// MQTT topic patterns and filters: parsing a mapping's topic pattern into levels, and the MQTT
// filter rules (+, #, $-topics) used by mappings and by device access lists.

export type PatternLevel =
  | { readonly kind: 'literal'; readonly value: string }
  /** `+` or `{name}`: exactly one level; `name` is undefined for `+`. */
  | { readonly kind: 'single'; readonly name: string | undefined }
  /** `#`: zero or more trailing levels (MQTT: `a/#` also matches `a`). */
  | { readonly kind: 'multi' };

const CAPTURE = /^\{([A-Za-z_][A-Za-z0-9_-]*)\}$/;

/** Parses a mapping topic pattern; returns the levels or a message saying what is wrong. */
export function parseTopicPattern(pattern: string): PatternLevel[] | string {
  if (pattern.length === 0) return 'topic pattern is empty';
  if (pattern.length > 65535) return 'topic pattern is longer than 65535 characters';
  const parts = pattern.split('/');
  const levels: PatternLevel[] = [];
  const names = new Set<string>();
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === '#') {
      if (i !== parts.length - 1) return '"#" must be the last level';
      levels.push({ kind: 'multi' });
    } else if (part === '+') {
      levels.push({ kind: 'single', name: undefined });
    } else if (part.startsWith('{')) {
      const m = CAPTURE.exec(part);
      if (!m) return `level "${part}" is not a capture: write {name} with letters, digits, "_" or "-"`;
      const name = m[1] as string;
      if (names.has(name)) return `capture {${name}} appears twice`;
      names.add(name);
      levels.push({ kind: 'single', name });
    } else if (/[+#{}\0]/.test(part)) {
      return `level "${part}" mixes a wildcard or brace with text: a wildcard must be a whole level`;
    } else {
      levels.push({ kind: 'literal', value: part });
    }
  }
  return levels;
}

/** Checks an MQTT topic filter (as in SUBSCRIBE or an access list); a message when invalid. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'topic filter is empty';
  const parts = filter.split('/');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === '#' && i !== parts.length - 1) return '"#" must be the last level';
    if (part !== '#' && part !== '+' && /[+#\0]/.test(part)) {
      return `level "${part}" mixes a wildcard with text`;
    }
  }
  return undefined;
}

/** MQTT filter matching (MQTT 3.1.1 §4.7): wildcards at the first level never match "$" topics. */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/** True when every topic matched by `inner` is also matched by `outer`. */
export function filterCovers(outer: string, inner: string): boolean {
  const o = outer.split('/');
  const n = inner.split('/');
  for (let i = 0; i < o.length; i++) {
    const level = o[i];
    if (level === '#') return true;
    if (i >= n.length) return false;
    const sub = n[i];
    if (sub === '#') return false;
    if (level !== '+' && level !== sub) return false;
  }
  return o.length === n.length;
}
