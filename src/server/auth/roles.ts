// Roles and what each may do. A token carries one role; admin ⊃ writer ⊃ reader.
export const ROLES = ['reader', 'writer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Permission = 'read' | 'write' | 'admin';

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  reader: new Set(['read']),
  writer: new Set(['read', 'write']),
  admin: new Set(['read', 'write', 'admin']),
};

export function allows(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface Principal {
  readonly name: string;
  readonly role: Role;
  /** How it was authenticated: a token, or anonymous local access in demo mode. */
  readonly via: 'token' | 'demo';
}
