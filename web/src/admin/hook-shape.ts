// What the administration page exposes as window.__imverseAdmin for tests; no DOM types (Node imports it).

export interface SectionAccess {
  readonly read: boolean;
  readonly write: boolean;
}

export interface AdminHook {
  /** The access answers are in and every section the person may see has loaded once. */
  ready: boolean;
  /** Why the page could not start, if it could not. */
  error?: string;
  /** What the signed-in person may do with accounts, policies and tokens. */
  may?: { users: SectionAccess; policies: SectionAccess; tokens: SectionAccess };
  /** How many rows each list shows. */
  users: number;
  policies: number;
  tokens: number;
}
