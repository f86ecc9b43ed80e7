// The one decision at the HTTP and WebSocket edge: a route declares what it needs as
// `kind:action` (`twin:read`, `studies:execute`, `policies:write`); the caller's policy view
// answers, and the request gets the twin graph as that view may see it for that action. Routes
// keep no checks of their own; for single twins the graph's scope decides (TenantScope).
import type { FastifyRequest } from 'fastify';
import type { AccessView } from '../../access/access-view.js';
import type { Authorizer } from '../../access/authorizer.js';
import {
  ACTIONS,
  isSubtreeKind,
  RESOURCE_KINDS,
  type Action,
  type ResourceKind,
} from '../../access/resource.js';
import { AuthError } from '../../core/errors.js';
import type { TwinGraph } from '../../twin/TwinGraph.js';
import type { Principal } from './roles.js';
import { subjectsOf } from './subjects.js';

/** What a route needs: a resource kind and an action on it, no authentication, or any signed-in caller. */
export type RoutePermission = `${ResourceKind}:${Action}` | 'public' | 'signed-in' | LegacyPermission;

/** Before policies, routes named a role's permission; each maps to the rule that replaced it. */
type LegacyPermission = 'read' | 'write' | 'admin' | 'platform';
const LEGACY: Readonly<Record<LegacyPermission, Requirement>> = {
  read: { kind: 'twin', action: 'read' },
  write: { kind: 'twin', action: 'write' },
  // An admin, possibly of some tenants only: it manages their tokens.
  admin: { kind: 'tokens', action: 'write' },
  // An admin limited to no tenant: only such a caller may change policies.
  platform: { kind: 'policies', action: 'write' },
};

interface Requirement {
  readonly kind: ResourceKind;
  readonly action: Action;
}

export function requirementOf(permission: Exclude<RoutePermission, 'public' | 'signed-in'>): Requirement {
  if (permission in LEGACY) return LEGACY[permission as LegacyPermission];
  const [kind, action] = permission.split(':') as [ResourceKind, Action];
  if (!RESOURCE_KINDS.includes(kind) || !ACTIONS.includes(action)) {
    throw new Error(`A route declares the unknown permission "${permission}"`);
  }
  return { kind, action };
}

/**
 * Decides whether `principal` may use a route needing `permission`, and sets `request.access` and
 * `request.graph`. Throws IMV_AUTH_FORBIDDEN (the error handler counts and audits it).
 */
export function authorizeRequest(
  request: FastifyRequest,
  principal: Principal,
  permission: Exclude<RoutePermission, 'public'>,
  authorizer: Authorizer,
  graph: TwinGraph,
): AccessView {
  const view = authorizer.view(subjectsOf(principal));
  request.access = view;
  const need: Requirement =
    permission === 'signed-in' ? { kind: 'twin', action: 'read' } : requirementOf(permission);
  // Twins, history and commands are asked per twin below (by the graph's scope); a route on them
  // is open to anyone who may act on some of them.
  const subtree = isSubtreeKind(need.kind);
  if (permission !== 'signed-in') {
    const allowed = subtree ? view.canAny(need.action, need.kind) : view.can(need.action, need.kind);
    if (!allowed) {
      throw new AuthError(
        'IMV_AUTH_FORBIDDEN',
        view.can(need.action, need.kind) === false && principal.prefixes !== undefined && !subtree
          ? `${principal.name} (${principal.role}, limited to ${principal.prefixes.join(', ')}) may not ${need.action} ${need.kind}: only a caller limited to no tenant may`
          : `${principal.name} (${principal.role}) may not ${need.action} ${need.kind}`,
      );
    }
  }
  const action = subtree ? need.action : 'read';
  const kind = subtree ? need.kind : 'twin';
  const named = view.fieldsNamed(kind);
  request.graph = graph.withScope(
    view.scope(action, kind),
    named.size === 0 ? undefined : { named, hidden: (id) => view.hiddenFields(action, kind, id) },
  );
  return view;
}
