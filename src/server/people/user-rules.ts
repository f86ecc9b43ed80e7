// What a user record may hold: checked names, roles, tenant prefixes and groups. Pure.
import { ValidationError } from '../../core/errors.js';
import { roleNamed, ROLES, type Role } from '../auth/roles.js';
import { prefixProblem } from '../../twin/TenantScope.js';

/** Letters, digits and . _ @ - : safe in URLs, logs and audit records, and an e-mail address fits. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function checkUserName(name: unknown, path = '/name'): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      'A user name is 1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
      { path },
    );
  }
  return name;
}

/** A role by today's name or a legacy one (reader, writer), as today's. */
export function checkRole(value: unknown, path = '/role'): Role {
  const role = roleNamed(value);
  if (role === undefined) {
    throw new ValidationError('IMV_REQUEST_INVALID', `The role must be one of ${ROLES.join(', ')}`, {
      path,
    });
  }
  return role;
}

/** Tenant prefixes, upper-cased as tokens store them (identifiers' prefixes are case-insensitive). */
export function checkPrefixes(prefixes: readonly string[], path = '/prefixes'): string[] {
  return prefixes.map((prefix, index) => {
    const problem = prefixProblem(prefix);
    if (problem !== undefined) {
      throw new ValidationError('IMV_REQUEST_INVALID', `Prefix "${prefix}": ${problem}`, {
        path: `${path}/${index}`,
      });
    }
    return prefix.toUpperCase();
  });
}

export function checkGroups(groups: readonly string[], path = '/groups'): string[] {
  groups.forEach((group, index) => {
    if (!NAME.test(group)) {
      throw new ValidationError('IMV_REQUEST_INVALID', `Group "${group}" is not a valid name`, {
        path: `${path}/${index}`,
      });
    }
  });
  return [...new Set(groups)];
}
