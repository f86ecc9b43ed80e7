// What one principal may do. The decision walks the identifier down the authorizer's rule trie
// once; at each level it merges the rules of the principal's subjects. The rule that decides is
// the most specific one that mentions the action — a field before its twin, a twin before the
// subtree above it; at the same resource a revoke beats a grant. Nothing mentioned means no.
import { ACTION_BIT, type Subject } from './policy.js';
import type { Action, ResourceKind } from './resource.js';

export interface Bits {
  grant: number;
  revoke: number;
}

/** Rules on one subtree of the identifier space, by subject, and the subtrees below by next segment. */
export interface RuleNode {
  rules?: Map<Subject, Bits>;
  fields?: Map<string, Map<Subject, Bits>>;
  children?: Map<string, RuleNode>;
}

/**
 * Where in the identifier space an action is allowed, for pushing a decision into a store query:
 * `allowAll` at the root, then nested exceptions, each flipping the answer for its subtree.
 */
export interface SubtreeScope {
  readonly allowAll: boolean;
  readonly exceptions: readonly ScopeException[];
}

export interface ScopeException {
  /** A normalised subtree: a Handle prefix (a tenant) or an identifier and those below it. */
  readonly subtree: string;
  readonly allow: boolean;
  readonly within: readonly ScopeException[];
}

/**
 * What a tenant-limited principal's role still grants on platform functions: studies, layouts and
 * tokens are kept per tenant, 3D assets bind to its own twins only (world-models.ts), dead letters are filtered to the tenant's twins, and models are read
 * by everyone. Platform-wide ones (metrics, audit, users, policies, devices, changing models)
 * stay with principals limited to no tenant.
 */
const TENANT_ROLE_BITS: Partial<Record<ResourceKind, number>> = {
  studies: 7,
  layouts: 7,
  tokens: 7,
  'dead-letters': 1,
  model: 1,
  assets: 7,
};

export class AccessView {
  readonly #tries: ReadonlyMap<string, RuleNode>;
  readonly #subjects: readonly Subject[];
  /** Without roles: at the root of a tenant-limited principal, its role's grants do not hold. */
  readonly #ownSubjects: readonly Subject[];
  readonly #tenants: ReadonlySet<string> | undefined;
  readonly #merged: () => ReadonlyMap<string, Bits>;
  readonly #scopes = new Map<string, SubtreeScope>();
  readonly #fieldNames = new Map<string, ReadonlySet<string>>();

  constructor(
    tries: ReadonlyMap<string, RuleNode>,
    subjects: readonly Subject[],
    tenants: readonly string[] | undefined,
    merged: () => ReadonlyMap<string, Bits>,
  ) {
    this.#tries = tries;
    this.#subjects = subjects;
    this.#ownSubjects = subjects.filter((subject) => !subject.startsWith('role:'));
    this.#tenants = tenants === undefined ? undefined : new Set(tenants.map((t) => t.toUpperCase()));
    this.#merged = merged;
  }

  /**
   * Whether `action` is allowed on a resource: a platform function (`can('read', 'studies')`), a
   * twin subtree (`can('write', 'twin', id)`) or a field of it (`can('read', 'twin', id, 'cost')`).
   */
  can(action: Action, kind: ResourceKind, id?: string, field?: string): boolean {
    const bit = ACTION_BIT[action];
    const root = this.#tries.get(kind);
    if (root === undefined) return false;
    const tenants = this.#tenants;
    // Level 0: the whole kind. A tenant-limited principal's role rules on twins, history and
    // commands move to its tenants; on platform functions they hold only where TENANT_ROLE_BITS say.
    const rootSubjects =
      tenants === undefined || (TENANT_ROLE_BITS[kind] ?? 0) & bit ? this.#subjects : this.#ownSubjects;
    let decided = this.#level(root.rules, rootSubjects, bit);
    let byField =
      field === undefined || root.fields === undefined
        ? undefined
        : this.#level(root.fields.get(field), rootSubjects, bit);
    if (id === undefined) return byField ?? decided ?? false;
    let node: RuleNode | undefined = root;
    let start = 0;
    let depth = 0;
    while (start <= id.length) {
      const slash = id.indexOf('/', start);
      const end = slash < 0 ? id.length : slash;
      const segment = id.slice(start, end);
      node = node?.children?.get(segment);
      depth++;
      // At a tenant of a tenant-limited principal, its role's grants on every twin hold again.
      const reRooted = depth === 1 && tenants !== undefined && tenants.has(segment);
      const here = both(
        node === undefined ? undefined : this.#level(node.rules, this.#subjects, bit),
        reRooted ? this.#level(root.rules, this.#subjects, bit, this.#ownSubjects) : undefined,
      );
      if (here !== undefined) decided = here;
      if (field !== undefined) {
        const own = both(
          node?.fields === undefined ? undefined : this.#level(node.fields.get(field), this.#subjects, bit),
          reRooted && root.fields !== undefined
            ? this.#level(root.fields.get(field), this.#subjects, bit, this.#ownSubjects)
            : undefined,
        );
        if (own !== undefined) byField = own;
      }
      if (node === undefined) break;
      start = end + 1;
    }
    return byField ?? decided ?? false;
  }

  /**
   * The fields of twin `id` a rule keeps from `action` although the twin itself is allowed: what a
   * read must leave out of the documents it returns. Empty, quickly, when no rule names a field.
   */
  hiddenFields(action: Action, kind: ResourceKind, id: string): string[] {
    const named = this.fieldsNamed(kind);
    if (named.size === 0 || !this.can(action, kind, id)) return [];
    return [...named].filter((field) => !this.can(action, kind, id, field));
  }

  /** Every field a rule of this principal names for the kind. */
  fieldsNamed(kind: ResourceKind): ReadonlySet<string> {
    let named = this.#fieldNames.get(kind);
    if (named === undefined) {
      const found = new Set<string>();
      const base = `${kind}:/`;
      for (const key of this.#merged().keys()) {
        const hash = key.indexOf('#');
        if (hash >= 0 && key.startsWith(base)) found.add(key.slice(hash + 1));
      }
      this.#fieldNames.set(kind, (named = found));
    }
    return named;
  }

  /** Whether `action` is allowed on some resource of the kind: lists may be asked for, and filtered. */
  canAny(action: Action, kind: ResourceKind): boolean {
    const scope = this.scope(action, kind);
    return scope.allowAll || scope.exceptions.length > 0;
  }

  /** The subtrees where `action` is allowed on `kind`, as nested exceptions (see SubtreeScope). */
  scope(action: Action, kind: ResourceKind): SubtreeScope {
    const cacheKey = `${action} ${kind}`;
    let scope = this.#scopes.get(cacheKey);
    if (scope === undefined) {
      scope = buildScope(this.#merged(), ACTION_BIT[action], `${kind}:/`);
      this.#scopes.set(cacheKey, scope);
    }
    return scope;
  }

  /** The subjects' merged answer at one resource: allowed, refused, or not mentioned (undefined). */
  #level(
    rules: Map<Subject, Bits> | undefined,
    subjects: readonly Subject[],
    bit: number,
    except?: readonly Subject[],
  ): boolean | undefined {
    if (rules === undefined) return undefined;
    let grant = 0;
    let revoke = 0;
    for (const subject of subjects) {
      if (except !== undefined && except.includes(subject)) continue;
      const bits = rules.get(subject);
      if (bits !== undefined) {
        grant |= bits.grant;
        revoke |= bits.revoke;
      }
    }
    if (revoke & bit) return false;
    return grant & bit ? true : undefined;
  }
}

/** Two answers at the same resource: a revoke beats a grant. */
function both(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  if (a === false || b === false) return false;
  return a === true || b === true ? true : undefined;
}

/** Whether an identifier lies in a scope: the deepest exception containing it decides. */
export function scopeAllows(scope: SubtreeScope, id: string): boolean {
  let allowed = scope.allowAll;
  let exceptions = scope.exceptions;
  for (;;) {
    const inner = exceptions.find((e) => contains(e.subtree, id));
    if (inner === undefined) return allowed;
    allowed = inner.allow;
    exceptions = inner.within;
  }
}

/** Whether `id` is `subtree` or lies below it. */
export function contains(subtree: string, id: string): boolean {
  return id.length === subtree.length
    ? id === subtree
    : id.length > subtree.length && id.charCodeAt(subtree.length) === 47 && id.startsWith(subtree);
}

function buildScope(rules: ReadonlyMap<string, Bits>, bit: number, base: string): SubtreeScope {
  const root = rules.get(base);
  const allowAll = root !== undefined && (root.revoke & bit) === 0 && (root.grant & bit) !== 0;
  const mentioned: Array<{ subtree: string; allow: boolean }> = [];
  for (const [key, rule] of rules) {
    if (!key.startsWith(base) || key.length === base.length || key.includes('#')) continue;
    if (((rule.grant | rule.revoke) & bit) === 0) continue;
    mentioned.push({ subtree: key.slice(base.length), allow: (rule.revoke & bit) === 0 });
  }
  // Shallower subtrees first, so each lands under the deepest one already placed that contains it.
  mentioned.sort((a, b) => a.subtree.length - b.subtree.length);
  const top: MutableException[] = [];
  for (const { subtree, allow } of mentioned) {
    let effect = allowAll;
    let siblings = top;
    for (;;) {
      const parent = siblings.find((e) => contains(e.subtree, subtree));
      if (parent === undefined) break;
      effect = parent.allow;
      siblings = parent.within;
    }
    // The same answer as the subtree around it: nothing to flip.
    if (effect !== allow) siblings.push({ subtree, allow, within: [] });
  }
  return { allowAll, exceptions: top };
}

interface MutableException {
  readonly subtree: string;
  readonly allow: boolean;
  readonly within: MutableException[];
}

/** Every twin in these subtrees (tenants' Handle prefixes or identifiers) and no other. */
export function subtreesScope(subtrees: readonly string[]): SubtreeScope {
  return { allowAll: false, exceptions: subtrees.map((subtree) => ({ subtree, allow: true, within: [] })) };
}

/** Every twin. */
export const EVERY_TWIN: SubtreeScope = { allowAll: true, exceptions: [] };
