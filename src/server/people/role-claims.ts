// From an OpenID Connect person's claims to an Imverse role and tenant prefixes. Pure.
import { roleNamed, type Role } from '../auth/roles.js';

/** Claim values as a list: providers send one string, a list, or a space-separated string. */
export function claimValues(claims: Readonly<Record<string, unknown>>, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** The role of the first entry of `roleMap` (in its order) whose claim value the person has. */
export function mapRole(
  claims: Readonly<Record<string, unknown>>,
  roleClaim: string,
  roleMap: Readonly<Record<string, Role>>,
): Role | undefined {
  const values = new Set(claimValues(claims, roleClaim));
  for (const [value, role] of Object.entries(roleMap)) if (values.has(value)) return role;
  return undefined;
}

/** Checks a configured map once, at start: every value must be a role. */
export function checkRoleMap(map: Readonly<Record<string, string>>): Record<string, Role> | string {
  const roles: Record<string, Role> = {};
  for (const [value, name] of Object.entries(map)) {
    const role = roleNamed(name);
    if (role === undefined) return `oidcRoleMap: "${value}" maps to "${name}", which is not a role`;
    roles[value] = role;
  }
  return roles;
}
