// Which identifier prefixes (tenants) a caller may touch. Every twin identifier starts with the
// Handle prefix of the enterprise that owns it, so a scope is a set of prefixes.
import { AuthError } from '../core/errors.js';
import { parseIdentifier } from '../core/id.js';

export class TenantScope {
  static readonly UNRESTRICTED = new TenantScope(undefined);

  /** Normalised prefixes, or undefined for access to every prefix. */
  readonly prefixes: readonly string[] | undefined;

  constructor(prefixes: readonly string[] | undefined) {
    this.prefixes = prefixes === undefined ? undefined : [...new Set(prefixes.map((p) => p.toUpperCase()))];
  }

  get restricted(): boolean {
    return this.prefixes !== undefined;
  }

  /** Whether a normalised identifier lies in the scope. */
  allows(id: string): boolean {
    if (this.prefixes === undefined) return true;
    const slash = id.indexOf('/');
    return slash > 0 && this.prefixes.includes(id.slice(0, slash));
  }

  /** Throws IMV_AUTH_FORBIDDEN for an identifier outside the scope; says nothing of whether it exists. */
  check(id: string, path: string): void {
    if (!this.allows(id)) {
      throw new AuthError('IMV_AUTH_FORBIDDEN', `${id} is outside the prefixes this token may use`, { path });
    }
  }
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
