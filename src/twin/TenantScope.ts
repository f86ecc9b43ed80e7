// Which twins a caller may touch, as a SubtreeScope: whole tenants (every twin identifier starts
// with the Handle prefix of the enterprise that owns it), or the subtrees a policy shares, with
// the exceptions it revokes. Stores turn it into index ranges (scope-sql.ts).
import { AuthError } from '../core/errors.js';
import { parseIdentifier } from '../core/id.js';
import { scopeAllows, subtreesScope, type SubtreeScope } from '../access/access-view.js';

/** What a caller's policies say of single fields. */
export interface FieldRules {
  /** Every field a rule names: a query may not mention them (its filters would tell hidden values). */
  readonly named: ReadonlySet<string>;
  /** The fields of twin `id` the caller may not read, though it may read the twin: reads leave them out. */
  hidden(id: string): readonly string[];
}

export class TenantScope {
  static readonly UNRESTRICTED = new TenantScope(undefined);

  /** The scope, or undefined for every twin. */
  readonly subtrees: SubtreeScope | undefined;

  /** Fields policies rule on for this caller (`twin:/…#field`); absent when none does. */
  readonly fieldRules: FieldRules | undefined;

  /** Whole tenants by Handle prefix, a policy's SubtreeScope, or undefined for every twin. */
  constructor(scope: readonly string[] | SubtreeScope | undefined, fieldRules?: FieldRules) {
    this.fieldRules = fieldRules;
    if (scope === undefined || (!Array.isArray(scope) && isEverything(scope as SubtreeScope))) {
      this.subtrees = undefined;
    } else if (Array.isArray(scope)) {
      this.subtrees = subtreesScope([...new Set((scope as readonly string[]).map((p) => p.toUpperCase()))]);
    } else {
      this.subtrees = scope as SubtreeScope;
    }
  }

  /**
   * The whole tenants in scope: undefined for every twin, and for a scope of shared subtrees only
   * the tenants it holds whole (often none) — it fails closed. Push `subtrees` into a query for
   * the exact scope.
   */
  get prefixes(): readonly string[] | undefined {
    if (this.subtrees === undefined) return undefined;
    if (this.subtrees.allowAll) return [];
    return this.subtrees.exceptions
      .filter((e) => e.allow && e.within.length === 0 && !e.subtree.includes('/'))
      .map((e) => e.subtree);
  }

  get restricted(): boolean {
    return this.subtrees !== undefined;
  }

  /** Whether a normalised identifier lies in the scope. */
  allows(id: string): boolean {
    return this.subtrees === undefined || scopeAllows(this.subtrees, id);
  }

  /** Throws IMV_AUTH_FORBIDDEN for an identifier outside the scope; says nothing of whether it exists. */
  check(id: string, path: string): void {
    if (!this.allows(id)) {
      throw new AuthError('IMV_AUTH_FORBIDDEN', `${id} is outside the twins this caller may use`, { path });
    }
  }
}

function isEverything(scope: SubtreeScope): boolean {
  return scope.allowAll && scope.exceptions.length === 0;
}

/** Why `prefix` is not a valid Handle prefix, or undefined. */
export function prefixProblem(prefix: string): string | undefined {
  try {
    parseIdentifier(`${prefix}/x`);
    return prefix.includes('/') ? 'a prefix has no "/"' : undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
