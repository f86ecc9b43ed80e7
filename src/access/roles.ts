// The built-in roles and what each is granted, written as a policy so roles and stored policies
// are decided by the same rules. A principal limited to tenants gets its role's twin, history and
// command grants within those tenants only (see access-view.ts).
import type { Policy, ResourceGrant } from './policy.js';
import { RESOURCE_KINDS } from './resource.js';

export const ROLES = ['viewer', 'operator', 'engineer', 'admin', 'partner', 'customer'] as const;
export type Role = (typeof ROLES)[number];

/** Names from before policies (tokens stored then still carry them). */
export const LEGACY_ROLES: Readonly<Record<string, Role>> = { reader: 'viewer', writer: 'engineer' };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A role name as given (today's or a legacy one) → the role, or undefined. */
export function roleNamed(value: unknown): Role | undefined {
  if (isRole(value)) return value;
  return typeof value === 'string' ? LEGACY_ROLES[value] : undefined;
}

const READ = ['read'] as const;
const ALL = ['read', 'write', 'execute'] as const;

const viewer: Record<string, ResourceGrant> = {
  'twin:/': { grant: READ },
  'history:/': { grant: READ },
  'model:/': { grant: READ },
  'studies:/': { grant: READ },
  'layouts:/': { grant: READ },
  'assets:/': { grant: READ },
  // Operations figures (/metrics, ingest stats), so Prometheus scrapes with a viewer's key. They
  // count every tenant's traffic, so a tenant-limited viewer does not get them (access-view.ts).
  'metrics:/': { grant: READ },
  // Refused device messages: a tenant-limited viewer sees those of its own twins only.
  'dead-letters:/': { grant: READ },
};
const operator: Record<string, ResourceGrant> = {
  ...viewer,
  'commands:/': { grant: ['read', 'execute'] },
  'studies:/': { grant: ['read', 'execute'] },
};
const engineer: Record<string, ResourceGrant> = {
  ...operator,
  'twin:/': { grant: ALL },
  'history:/': { grant: ['read', 'write'] },
  'studies:/': { grant: ALL },
  'layouts:/': { grant: ALL },
  'assets:/': { grant: ALL },
  'dead-letters:/': { grant: READ },
  'devices:/': { grant: READ },
};
// Everything, on every kind of resource.
const admin = Object.fromEntries(RESOURCE_KINDS.map((kind) => [`${kind}:/`, { grant: ALL }]));

/**
 * What each role may do before any stored policy. Partners and customers see models only: the
 * twins they may see are shared with them by policies naming them or their group.
 */
export const ROLE_POLICY: Policy = {
  id: 'built-in-roles',
  entries: {
    viewer: { subjects: ['role:viewer'], resources: viewer },
    operator: { subjects: ['role:operator'], resources: operator },
    engineer: { subjects: ['role:engineer'], resources: engineer },
    admin: { subjects: ['role:admin'], resources: admin },
    partner: {
      subjects: ['role:partner'],
      resources: { 'model:/': { grant: READ }, 'assets:/': { grant: READ } },
    },
    customer: {
      subjects: ['role:customer'],
      resources: { 'model:/': { grant: READ }, 'assets:/': { grant: READ } },
    },
    // Anonymous visitors of the explicit local demo (loopback only) try out drafts and notes.
    'local demo': {
      subjects: ['group:local-demo'],
      resources: { 'layouts:/': { grant: ['read', 'write'] } },
    },
  },
};
