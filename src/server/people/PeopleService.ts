// The people use cases: accounts, password sign-in with lockout, sessions and what a session cookie
// stands for. Every sign-in, failure, sign-out and account change is published as a security event;
// every session that ends publishes `credentialRevoked`, so the sockets it opened close.
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { EventBus } from '../../bus/bus.js';
import type { Config } from '../../core/config.js';
import { AuthError, ImverseError, NotFoundError } from '../../core/errors.js';
import { makeEvent } from '../../core/events.js';
import { SECURITY_EVENT_TYPES, type SecurityEventData, type SecurityEventType } from '../../core/wire.js';
import { roleNamed, type Principal, type Role } from '../auth/roles.js';
import { checkCrossSite } from './csrf.js';
import { OidcSignIn, type OidcIdentity, type OidcSettings } from './OidcSignIn.js';
import { checkRoleMap, claimValues, mapRole } from './role-claims.js';
import { Lockout } from './lockout.js';
import { dummyHash, hashPassword, verifyPassword } from './password-hash.js';
import { checkPassword } from './password-rules.js';
import { CSRF_HEADER, readCookie, SESSION_COOKIE } from './session-cookie.js';
import { SessionStore, type Session } from './SessionStore.js';
import { UserStore, type User, type UserChanges } from './UserStore.js';
import { checkGroups, checkPrefixes, checkRole, checkUserName } from './user-rules.js';

export type PeopleSettings = Pick<
  Config,
  | 'sessionIdleMinutes'
  | 'sessionMaxHours'
  | 'signInMaxFailures'
  | 'signInMaxFailuresPerAddress'
  | 'signInLockMinutes'
> &
  Partial<OidcSettings & Pick<Config, 'oidcRoleMap'>>;

/** Who acts on an account, for the events: the principal's name and credential, the client address. */
export interface Actor {
  readonly name: string;
  readonly credential?: string;
  readonly source?: string;
}

export interface AddUser {
  readonly name: unknown;
  readonly password?: unknown;
  readonly role: unknown;
  readonly displayName?: string;
  readonly prefixes?: readonly string[];
  readonly groups?: readonly string[];
  readonly subject?: string;
}

export interface SignedIn {
  /** For the session cookie; shown to nobody else. */
  readonly secret: string;
  readonly session: Session;
  readonly user: User;
}

export class PeopleService {
  readonly users: UserStore;
  private readonly sessions: SessionStore;
  private readonly byName: Lockout;
  private readonly byAddress: Lockout;
  private readonly lockMs: number;
  private dummy: Promise<string> | undefined;
  /** OpenID Connect sign-in, when configured. */
  readonly oidc: OidcSignIn | undefined;
  private readonly oidcRoles: Readonly<Record<string, Role>>;
  /** The session each authenticated request came with, for /api/v1/me and sign-out. */
  private readonly requestSessions = new WeakMap<object, Session>();

  constructor(
    file: string,
    settings: PeopleSettings,
    private readonly bus: EventBus | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.users = new UserStore(file);
    this.sessions = new SessionStore(this.users.db, {
      idleMs: settings.sessionIdleMinutes * 60_000,
      maxMs: settings.sessionMaxHours * 3_600_000,
    });
    this.lockMs = settings.signInLockMinutes * 60_000;
    this.byName = new Lockout({ maxFailures: settings.signInMaxFailures, windowMs: this.lockMs });
    this.byAddress = new Lockout({
      maxFailures: settings.signInMaxFailuresPerAddress,
      windowMs: this.lockMs,
    });
    this.sessions.purgeExpired(this.now());
    const roleMap = checkRoleMap(settings.oidcRoleMap ?? {});
    if (typeof roleMap === 'string') {
      throw new ImverseError('IMV_CONFIG_INVALID', roleMap, { path: '/oidcRoleMap' });
    }
    this.oidcRoles = roleMap;
    const { oidcIssuer, oidcClientId } = settings;
    this.oidc =
      oidcIssuer !== undefined && oidcClientId !== undefined
        ? new OidcSignIn({
            ...settings,
            oidcIssuer,
            oidcClientId,
            oidcRoleClaim: settings.oidcRoleClaim ?? 'roles',
          })
        : undefined;
    this.oidcSettings = settings;
  }

  private readonly oidcSettings: PeopleSettings;

  /**
   * Signs in a person the OpenID provider vouched for: their role comes from the role claim through
   * oidcRoleMap and their tenants from oidcTenantClaim, on every sign-in (the provider is the source of
   * truth); the account is recorded by subject on the first. Refused without a mapped role.
   */
  async oidcSignIn(identity: OidcIdentity, source: string): Promise<SignedIn> {
    const roleClaim = this.oidcSettings.oidcRoleClaim ?? 'roles';
    const role = mapRole(identity.claims, roleClaim, this.oidcRoles);
    const preferred = [identity.claims.preferred_username, identity.claims.email, identity.claims.sub].find(
      (value): value is string => typeof value === 'string' && value !== '',
    )!;
    const refuse = async (
      code: 'IMV_OIDC_NO_ROLE' | 'IMV_SIGNIN_FAILED',
      message: string,
    ): Promise<never> => {
      await this.event(SECURITY_EVENT_TYPES.signInFailed, {
        actor: 'anonymous',
        action: 'signin.oidc',
        target: preferred,
        source,
        result: 'refused',
        code,
      });
      throw new AuthError(code, message);
    };
    if (role === undefined) {
      const values = claimValues(identity.claims, roleClaim);
      return refuse(
        'IMV_OIDC_NO_ROLE',
        `The provider gave ${roleClaim} = [${values.join(', ')}]; none of them is in oidcRoleMap`,
      );
    }
    const tenantClaim = this.oidcSettings.oidcTenantClaim;
    const prefixes =
      tenantClaim === undefined ? undefined : tenantsOf(claimValues(identity.claims, tenantClaim));
    const displayName = typeof identity.claims.name === 'string' ? identity.claims.name : preferred;
    const actor = { name: 'openid-connect', source };
    let user = this.users.bySubject(identity.subject);
    if (user === undefined) {
      const base = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(preferred) ? preferred : 'oidc-user';
      // A local account of that name is someone else: never merge a provider's person into it.
      const name =
        this.users.get(base) === undefined
          ? base
          : `${base.slice(0, 55)}-${createHash('sha256').update(identity.subject).digest('hex').slice(0, 8)}`;
      user = await this.addUser(
        { name, role, displayName, ...(prefixes ? { prefixes } : {}), subject: identity.subject },
        actor,
      );
    } else {
      if (user.disabled) return refuse('IMV_SIGNIN_FAILED', 'This account is disabled');
      if (user.role !== role || JSON.stringify(user.prefixes) !== JSON.stringify(prefixes)) {
        user = await this.updateUser(user.name, { role, prefixes: prefixes ?? null, displayName }, actor);
      }
    }
    return this.openSession(user, source, 'signin.oidc');
  }

  /**
   * The principal of the request's session cookie, or undefined without a live one. Throws
   * IMV_CSRF_REJECTED when the cookie would act for a request another site made.
   */
  principalOf(request: FastifyRequest): Principal | undefined {
    const secret = readCookie(request, SESSION_COOKIE);
    if (secret === undefined) return undefined;
    const session = this.sessions.find(secret, this.now());
    if (session === undefined) return undefined;
    const user = this.users.get(session.user);
    if (user === undefined || user.disabled) return undefined;
    checkCrossSite(request, session.csrf, request.headers[CSRF_HEADER]);
    const principal = principalOfUser(user, session);
    if (principal !== undefined) this.requestSessions.set(request.raw, session);
    return principal;
  }

  /** The session a request was authenticated by (after principalOf). */
  sessionOf(request: FastifyRequest): Session | undefined {
    return this.requestSessions.get(request.raw);
  }

  /** The live session of a request's cookie, without the CSRF check (for the sign-in page itself). */
  peekSession(request: FastifyRequest): { session: Session; user: User } | undefined {
    const secret = readCookie(request, SESSION_COOKIE);
    const session = secret === undefined ? undefined : this.sessions.find(secret, this.now());
    const user = session === undefined ? undefined : this.users.get(session.user);
    return session === undefined || user === undefined || user.disabled ? undefined : { session, user };
  }

  /** Checks a name and password; refuses alike for an unknown name, a disabled user and a wrong password. */
  async signIn(name: string, password: string, source: string): Promise<SignedIn> {
    const now = this.now();
    const nameKey = name.toLowerCase();
    const lockedUntil = Math.max(
      this.byName.lockedUntil(nameKey, now) ?? 0,
      this.byAddress.lockedUntil(source, now) ?? 0,
    );
    if (lockedUntil > now) {
      await this.event(SECURITY_EVENT_TYPES.signInFailed, {
        actor: 'anonymous',
        action: 'signin.password',
        target: name,
        source,
        result: 'refused',
        code: 'IMV_SIGNIN_LOCKED',
      });
      throw new SignInLockedError(Math.ceil((lockedUntil - now) / 1000));
    }
    // Bounded before hashing: a megabyte "password" must not cost the server a megabyte of argon2.
    const usable = password.length <= 1024;
    const hash = (usable ? this.users.passwordHash(name) : undefined) ?? (await this.dummyHash());
    const verified = usable && (await verifyPassword(hash, password));
    const user = verified ? this.users.get(name) : undefined;
    if (user === undefined || user.disabled) {
      this.byName.recordFailure(nameKey, now);
      this.byAddress.recordFailure(source, now);
      await this.event(SECURITY_EVENT_TYPES.signInFailed, {
        actor: 'anonymous',
        action: 'signin.password',
        target: name,
        source,
        result: 'refused',
        code: 'IMV_SIGNIN_FAILED',
      });
      throw new AuthError('IMV_SIGNIN_FAILED', 'The name or password is wrong');
    }
    this.byName.clear(nameKey);
    return this.openSession(user, source, 'signin.password');
  }

  /** Opens a session for a person already authenticated (by password or by an OpenID provider). */
  async openSession(user: User, source: string, action: string): Promise<SignedIn> {
    const now = this.now();
    this.sessions.purgeExpired(now);
    const { secret, session } = this.sessions.create(user.name, now);
    await this.event(SECURITY_EVENT_TYPES.signedIn, {
      actor: user.name,
      credential: `session:${session.id}`,
      action,
      target: user.name,
      source,
      result: 'ok',
    });
    return { secret, session, user };
  }

  async signOut(session: Session, source: string): Promise<void> {
    if (!this.sessions.end(session.id)) return;
    await this.event(SECURITY_EVENT_TYPES.signedOut, {
      actor: session.user,
      credential: `session:${session.id}`,
      action: 'signout',
      target: session.user,
      source,
      result: 'ok',
    });
    await this.revoked(session.user, [session.id], source);
  }

  /** The signed-in person changes their password; their other sessions end. */
  async changePassword(session: Session, current: unknown, next: unknown, source: string): Promise<void> {
    const password = checkPassword(next, '/new');
    const hash = this.users.passwordHash(session.user);
    if (
      typeof current !== 'string' ||
      current.length > 1024 ||
      hash === undefined ||
      !(await verifyPassword(hash, current))
    ) {
      await this.event(SECURITY_EVENT_TYPES.userChanged, {
        actor: session.user,
        credential: `session:${session.id}`,
        action: 'user.password.change',
        target: session.user,
        source,
        result: 'refused',
        code: 'IMV_PASSWORD_WRONG',
      });
      throw new AuthError('IMV_PASSWORD_WRONG', 'The current password is wrong', { path: '/current' });
    }
    this.users.setPasswordHash(session.user, await hashPassword(password));
    await this.changed(
      { name: session.user, credential: `session:${session.id}`, source },
      'user.password.change',
      session.user,
    );
    await this.revoked(session.user, this.sessions.endAllOf(session.user, session.id), source);
  }

  async addUser(input: AddUser, actor: Actor): Promise<User> {
    const name = checkUserName(input.name);
    const role = checkRole(input.role);
    const password = input.password === undefined ? undefined : checkPassword(input.password);
    const user = this.users.add({
      name,
      role,
      ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
      ...(input.prefixes === undefined ? {} : { prefixes: checkPrefixes(input.prefixes) }),
      ...(input.groups === undefined ? {} : { groups: checkGroups(input.groups) }),
      ...(password === undefined ? {} : { passwordHash: await hashPassword(password) }),
      ...(input.subject === undefined ? {} : { subject: input.subject }),
    });
    await this.changed(actor, 'user.create', name);
    return user;
  }

  /** Changes an account; disabling it, or changing its role or tenants, ends its sessions. */
  async updateUser(name: string, changes: UserChanges, actor: Actor): Promise<User> {
    const checked: UserChanges = {
      ...changes,
      ...(changes.role === undefined ? {} : { role: checkRole(changes.role) }),
      ...(changes.prefixes === undefined || changes.prefixes === null
        ? {}
        : { prefixes: checkPrefixes(changes.prefixes) }),
      ...(changes.groups === undefined ? {} : { groups: checkGroups(changes.groups) }),
    };
    const user = this.users.update(name, checked);
    await this.changed(actor, 'user.update', name);
    if (user.disabled) await this.revoked(name, this.sessions.endAllOf(name), actor.source);
    return user;
  }

  async setPassword(name: string, password: unknown, actor: Actor): Promise<void> {
    const checked = checkPassword(password);
    if (this.users.get(name) === undefined) {
      throw new NotFoundError('IMV_USER_NOT_FOUND', `No user named "${name}"`);
    }
    this.users.setPasswordHash(name, await hashPassword(checked));
    await this.changed(actor, 'user.password.set', name);
    await this.revoked(name, this.sessions.endAllOf(name), actor.source);
  }

  async removeUser(name: string, actor: Actor): Promise<void> {
    this.users.remove(name);
    await this.changed(actor, 'user.delete', name);
    await this.revoked(name, this.sessions.endAllOf(name), actor.source);
  }

  close(): void {
    this.users.close();
  }

  private dummyHash(): Promise<string> {
    return (this.dummy ??= dummyHash());
  }

  private changed(actor: Actor, action: string, target: string): Promise<void> {
    return this.event(SECURITY_EVENT_TYPES.userChanged, {
      actor: actor.name,
      ...(actor.credential === undefined ? {} : { credential: actor.credential }),
      action,
      target,
      ...(actor.source === undefined ? {} : { source: actor.source }),
      result: 'ok',
    });
  }

  private async revoked(user: string, ids: readonly string[], source: string | undefined): Promise<void> {
    for (const id of ids) {
      await this.event(SECURITY_EVENT_TYPES.credentialRevoked, {
        actor: user,
        credential: `session:${id}`,
        action: 'session.end',
        target: user,
        ...(source === undefined ? {} : { source }),
        result: 'ok',
      });
    }
  }

  private async event(type: SecurityEventType, data: SecurityEventData): Promise<void> {
    await this.bus?.publish([makeEvent(type, data)]);
  }
}

/**
 * The tenant prefixes a tenant claim names: `*` is every tenant; no value is none (fail closed: a
 * provider that forgets the claim must not open every tenant).
 */
function tenantsOf(values: readonly string[]): string[] | undefined {
  return values.includes('*') ? undefined : checkPrefixes(values, '/oidcTenantClaim');
}

/**
 * What a session stands for: the user's current role, tenants and groups (so a change applies at the
 * next request). A stored role no longer known, even by its legacy name, grants nothing.
 */
export function principalOfUser(user: User, session: Session): Principal | undefined {
  const role: Role | undefined = roleNamed(user.role);
  if (role === undefined) return undefined;
  return {
    name: user.name,
    role,
    via: 'session',
    credential: `session:${session.id}`,
    ...(user.prefixes === undefined ? {} : { prefixes: user.prefixes }),
    ...(user.groups.length === 0 ? {} : { groups: user.groups }),
  };
}

export class SignInLockedError extends ImverseError {
  override readonly name = 'SignInLockedError';
  constructor(readonly retryAfterSeconds: number) {
    super('IMV_SIGNIN_LOCKED', `Too many failed sign-ins: try again in ${retryAfterSeconds} s`);
  }
}
