// What the administration page (/admin) reads from the users, policies, tokens and access APIs
// (docs/api.md: "People", "Policies", "Tokens"). The server's own types stay in their capability
// folders; these are the shapes as they cross the wire.

/** The roles an account or a token may hold (src/access/roles.ts; test/e2e/admin.test.ts keeps them equal). */
export const ROLE_NAMES = ['viewer', 'operator', 'engineer', 'admin', 'partner', 'customer'] as const;

/** The actions a policy grants or revokes, and that GET /api/v1/access answers. */
export const ACTION_NAMES = ['read', 'write', 'execute'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** An element of GET /api/v1/users. */
export interface UserView {
  readonly name: string;
  readonly displayName: string;
  readonly role: string;
  /** Tenant prefixes; every tenant when absent. */
  readonly prefixes?: readonly string[];
  readonly groups: readonly string[];
  readonly disabled: boolean;
  readonly signsInWith?: 'password' | 'openid-connect';
  readonly created: string;
  readonly updated: string;
}

export interface ResourceGrantView {
  readonly grant?: readonly ActionName[];
  readonly revoke?: readonly ActionName[];
}

export interface PolicyEntryView {
  readonly subjects: readonly string[];
  readonly resources: Readonly<Record<string, ResourceGrantView>>;
}

export interface PolicyView {
  readonly id: string;
  readonly entries: Readonly<Record<string, PolicyEntryView>>;
}

/** An element of GET /api/v1/policies, and GET /api/v1/policies/{id}. */
export interface StoredPolicyView {
  readonly policy: PolicyView;
  readonly revision: number;
  readonly updated: string;
  readonly updatedBy: string;
}

/** An element of GET /api/v1/tokens: never its secret. */
export interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly prefixes?: readonly string[];
  readonly created: string;
  readonly expires?: string;
  readonly lastUsed?: string;
}

/** POST /api/v1/tokens answers the token once with its secret. */
export interface CreatedTokenView extends TokenView {
  readonly token: string;
}

/** A page of a listing API. */
export interface ListPage<T> {
  readonly value: readonly T[];
  readonly continuationToken: string | null;
}

/** GET /api/v1/access?resource=…: what the caller may do there. */
export interface AccessAnswer {
  readonly resource: string;
  readonly read: boolean;
  readonly write: boolean;
  readonly execute: boolean;
}
