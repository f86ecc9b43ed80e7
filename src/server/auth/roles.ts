// Who a caller is after authentication. What each role may do is a policy (src/access/roles.ts);
// the decision is src/access, asked once per request by auth/authorize-request.ts.
import type { Role } from '../../access/roles.js';

export { ROLES, isRole, roleNamed, type Role } from '../../access/roles.js';

export interface Principal {
  readonly name: string;
  readonly role: Role;
  /** How it was authenticated: a token, a person's sign-in session, or anonymous local access in demo mode. */
  readonly via: 'token' | 'session' | 'demo';
  /** The credential it was authenticated with (`token:ID`, `session:ID`), so revoking it can close its sockets. */
  readonly credential?: string;
  /** The identifier prefixes (tenants) it may touch; every prefix when absent. */
  readonly prefixes?: readonly string[];
  /** The groups a person belongs to, which policies may name (`group:NAME`). */
  readonly groups?: readonly string[];
}
