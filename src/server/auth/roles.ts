// Roles and what each may do. A token carries one role; admin ⊃ writer ⊃ reader.
export const ROLES = ['reader', 'writer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** `platform` is admin over every tenant: models and token management; a prefix-scoped admin lacks it. */
export type Permission = 'read' | 'write' | 'admin' | 'platform';

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  reader: new Set(['read']),
  writer: new Set(['read', 'write']),
  admin: new Set(['read', 'write', 'admin', 'platform']),
};

export function allows(principal: Pick<Principal, 'role' | 'prefixes'>, permission: Permission): boolean {
  if (permission === 'platform' && principal.prefixes !== undefined) return false;
  return GRANTS[principal.role].has(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface Principal {
  readonly name: string;
  readonly role: Role;
  /** How it was authenticated: a token, or anonymous local access in demo mode. */
  readonly via: 'token' | 'demo';
  /** The credential it was authenticated with (`token:ID`), so revoking it can close its sockets. */
  readonly credential?: string;
  /** The identifier prefixes (tenants) it may touch; every prefix when absent. */
  readonly prefixes?: readonly string[];
}
