// A role as the page's language names it; a role this page does not know reads as the server sends it.
import { ROLE_NAMES } from '../../../src/core/wire-admin.js';
import { t } from '../i18n/admin-page.js';

type RoleKey = `role.${(typeof ROLE_NAMES)[number]}`;

export function roleName(role: string): string {
  return (ROLE_NAMES as readonly string[]).includes(role) ? t(`role.${role}` as RoleKey) : role;
}
