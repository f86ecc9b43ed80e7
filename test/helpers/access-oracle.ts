// The access rules of docs/security.md, written again from the documentation and independently of
// src/access, so a property test can ask "may this principal read or write this twin?" without
// trusting the code it tests. Small on purpose: it knows only what the security property test uses.

export type Action = 'read' | 'write' | 'execute';
export type Role = 'viewer' | 'operator' | 'engineer' | 'admin' | 'partner' | 'customer';

/** Kinds addressed by twin subtree; the others are platform functions, addressed whole. */
const SUBTREE_KINDS = new Set(['twin', 'history', 'commands']);

/** One rule: on `kind` at `path` ('' for every twin or the whole function), optionally one field. */
export interface OracleRule {
  readonly kind: string;
  readonly path: string;
  readonly field?: string;
  readonly action: Action;
  readonly effect: 'grant' | 'revoke';
}

/** A caller as the oracle sees it. Anonymous and unknown tokens are `authenticated: false`. */
export interface OraclePrincipal {
  readonly name: string;
  readonly authenticated: boolean;
  readonly role?: Role;
  /** The tenants (Handle prefixes) it is limited to; undefined for every tenant. */
  readonly tenants?: readonly string[];
  /** What stored policies naming it (its key, or its role) grant and revoke. */
  readonly rules: readonly OracleRule[];
}

const R: Action[] = ['read'];
const RW: Action[] = ['read', 'write'];
const RWX: Action[] = ['read', 'write', 'execute'];

/** The role table of docs/security.md: kind → actions. */
const ROLE_GRANTS: Record<Role, Record<string, Action[]>> = {
  viewer: {
    twin: R,
    history: R,
    model: R,
    studies: R,
    layouts: R,
    'dead-letters': R,
    metrics: R,
  },
  operator: {
    twin: R,
    history: R,
    model: R,
    studies: ['read', 'execute'],
    layouts: R,
    'dead-letters': R,
    metrics: R,
    commands: ['read', 'execute'],
  },
  engineer: {
    twin: RWX,
    history: RW,
    model: R,
    studies: RWX,
    layouts: RWX,
    'dead-letters': R,
    metrics: R,
    commands: ['read', 'execute'],
    devices: R,
  },
  admin: Object.fromEntries(
    [
      'twin',
      'history',
      'commands',
      'model',
      'studies',
      'layouts',
      'dead-letters',
      'metrics',
      'audit',
      'policies',
      'users',
      'tokens',
      'devices',
    ].map((kind) => [kind, RWX]),
  ),
  partner: { model: R },
  customer: { model: R },
};

/**
 * What a principal limited to tenants keeps of its role on platform functions (docs/security.md,
 * "Tenants"): studies, layouts and tokens per tenant, reads of models and dead letters; nothing
 * platform-wide.
 */
const KEPT_BY_TENANT: Record<string, Action[]> = {
  studies: RWX,
  layouts: RWX,
  tokens: RWX,
  model: R,
  'dead-letters': R,
};

function roleRules(principal: OraclePrincipal): OracleRule[] {
  if (principal.role === undefined) return [];
  const rules: OracleRule[] = [];
  for (const [kind, actions] of Object.entries(ROLE_GRANTS[principal.role])) {
    for (const action of actions) {
      if (SUBTREE_KINDS.has(kind)) {
        // A tenant-limited role grant on twins holds at its tenants, not at the root.
        for (const path of principal.tenants ?? ['']) rules.push({ kind, path, action, effect: 'grant' });
      } else if (principal.tenants === undefined || KEPT_BY_TENANT[kind]?.includes(action)) {
        rules.push({ kind, path: '', action, effect: 'grant' });
      }
    }
  }
  return rules;
}

/** Whether `path` names `id` or a subtree above it ('' names every twin). */
export function covers(path: string, id: string): boolean {
  return path === '' || id === path || id.startsWith(`${path}/`);
}

const depth = (path: string) => (path === '' ? 0 : path.split('/').length);

/** The most specific of the rules that cover `id` decides; at one resource a revoke beats a grant. */
function decide(rules: readonly OracleRule[], id: string): boolean | undefined {
  let best = -1;
  let answer: boolean | undefined;
  for (const rule of rules) {
    if (!covers(rule.path, id)) continue;
    const d = depth(rule.path);
    if (d > best) {
      best = d;
      answer = rule.effect === 'grant';
    } else if (d === best && rule.effect === 'revoke') {
      answer = false;
    }
  }
  return answer;
}

/**
 * May `principal` do `action` on a platform function (`may(p, 'read', 'metrics')`), a twin
 * (`may(p, 'write', 'twin', id)`) or one field of it (`may(p, 'read', 'twin', id, 'speed')`)?
 */
export function may(
  principal: OraclePrincipal,
  action: Action,
  kind: string,
  id?: string,
  field?: string,
): boolean {
  if (!principal.authenticated) return false;
  const relevant = [...roleRules(principal), ...principal.rules].filter(
    (rule) => rule.kind === kind && rule.action === action,
  );
  if (id === undefined)
    return (
      decide(
        relevant.filter((rule) => rule.path === '' && !rule.field),
        '',
      ) ?? false
    );
  const whole = decide(
    relevant.filter((rule) => rule.field === undefined),
    id,
  );
  if (field === undefined) return whole ?? false;
  // A field is decided by the most specific rule naming that field, else by its twin.
  return (
    decide(
      relevant.filter((rule) => rule.field === field),
      id,
    ) ??
    whole ??
    false
  );
}

/** Whether the principal may act on at least one twin: the live stream and queries open to it. */
export function mayAny(
  principal: OraclePrincipal,
  action: Action,
  kind: string,
  ids: readonly string[],
): boolean {
  return ids.some((id) => may(principal, action, kind, id));
}
