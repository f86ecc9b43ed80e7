// Compiles the built-in roles and the stored policies into one index — per resource kind a trie
// over identifier segments, each node holding its rules by subject — and hands out each
// principal's AccessView (cached: a principal's subjects repeat across requests). Immutable: a
// policy change compiles a new Authorizer, so a decision never sees half a change.
import { AccessView, type Bits, type RuleNode } from './access-view.js';
import { isSubtreeKind } from './resource.js';
import { policyRules, type Policy, type Rule, type Subject } from './policy.js';
import { ROLE_POLICY } from './roles.js';

/** Who is asking, as policies name them. */
export interface Subjects {
  /** The principal's own subject, its groups' and its role's (`role:viewer`). */
  readonly subjects: readonly Subject[];
  /**
   * The tenants (Handle prefixes) a principal is limited to; its role's grants on twins, history
   * and commands hold within them only. Undefined: every tenant.
   */
  readonly tenants?: readonly string[];
}

const VIEW_CACHE_LIMIT = 10_000;

export class Authorizer {
  readonly #tries = new Map<string, RuleNode>();
  readonly #bySubject = new Map<Subject, Rule[]>();
  readonly #views = new Map<string, AccessView>();
  /** The same principal object (a cached token's, a session's) skips building the key. */
  readonly #byObject = new WeakMap<Subjects, AccessView>();
  readonly policyCount: number;

  constructor(policies: readonly Policy[]) {
    this.policyCount = policies.length;
    for (const policy of [ROLE_POLICY, ...policies]) {
      for (const rule of policyRules(policy)) {
        const list = this.#bySubject.get(rule.subject);
        if (list === undefined) this.#bySubject.set(rule.subject, [rule]);
        else list.push(rule);
        this.#insert(rule);
      }
    }
  }

  view(who: Subjects): AccessView {
    const known = this.#byObject.get(who);
    if (known !== undefined) return known;
    const key = `${who.subjects.join('\n')}|${who.tenants?.join(',') ?? '*'}`;
    let view = this.#views.get(key);
    if (view === undefined) {
      let merged: Map<string, Bits> | undefined;
      view = new AccessView(this.#tries, who.subjects, who.tenants, () => (merged ??= this.#merge(who)));
      // Bounded: principals are many only when someone is making them up.
      if (this.#views.size >= VIEW_CACHE_LIMIT) this.#views.clear();
      this.#views.set(key, view);
    }
    this.#byObject.set(who, view);
    return view;
  }

  #insert(rule: Rule): void {
    const { kind, subtree, field } = rule.resource;
    let node = this.#tries.get(kind);
    if (node === undefined) this.#tries.set(kind, (node = {}));
    if (subtree !== undefined) {
      for (const segment of subtree.split('/')) {
        node.children ??= new Map();
        let child = node.children.get(segment);
        if (child === undefined) node.children.set(segment, (child = {}));
        node = child;
      }
    }
    const rules =
      field === undefined
        ? (node.rules ??= new Map())
        : ((node.fields ??= new Map()).get(field) ??
          (node.fields.set(field, new Map()).get(field) as Map<Subject, Bits>));
    const bits = rules.get(rule.subject);
    if (bits === undefined) rules.set(rule.subject, { grant: rule.grant, revoke: rule.revoke });
    else {
      bits.grant |= rule.grant;
      bits.revoke |= rule.revoke;
    }
  }

  /** One principal's rules by resource key, for the scopes that store queries take. */
  #merge(who: Subjects): Map<string, Bits> {
    const merged = new Map<string, Bits>();
    const add = (key: string, rule: Rule) => {
      const bits = merged.get(key);
      if (bits === undefined) merged.set(key, { grant: rule.grant, revoke: rule.revoke });
      else {
        bits.grant |= rule.grant;
        bits.revoke |= rule.revoke;
      }
    };
    for (const subject of new Set(who.subjects)) {
      for (const rule of this.#bySubject.get(subject) ?? []) {
        const { kind, subtree, field } = rule.resource;
        // A role's grant on every twin means every twin of the principal's tenants.
        if (who.tenants !== undefined && subject.startsWith('role:') && isSubtreeKind(kind) && !subtree) {
          const suffix = field === undefined ? '' : `#${field}`;
          for (const tenant of who.tenants) add(`${kind}:/${tenant.toUpperCase()}${suffix}`, rule);
        } else {
          add(rule.key, rule);
        }
      }
    }
    return merged;
  }
}
