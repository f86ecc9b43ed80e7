// People over HTTP: the sign-in page and form, sign-out, OpenID Connect sign-in, "who am I", password
// change, and the users API for platform administrators (docs/people.md).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serialize } from 'cookie';
import { AuthError, ImverseError, isImverseError, ValidationError } from '../../core/errors.js';
import { ROLES } from '../auth/roles.js';
import type { RouteDeps } from '../route-deps.js';
import { isSameOrigin, ownOrigin, tokensMatch } from './csrf.js';
import { OIDC_STATE_COOKIE } from './OidcSignIn.js';
import { SignInLockedError, type Actor, type PeopleService, type SignedIn } from './PeopleService.js';
import { clearedCookies, CSRF_FIELD, CSRF_HEADER, readCookie, sessionCookies } from './session-cookie.js';
import { problemPage, safeNext, signedInPage, signInPage } from './signin-page.js';
import type { User } from './UserStore.js';

const FORM = 'application/x-www-form-urlencoded';
/** A sign-in form is a few hundred bytes: refuse more before reading it. */
const FORM_LIMIT_BYTES = 8 * 1024;

const userSchema = {
  type: 'object',
  required: ['name', 'displayName', 'role', 'groups', 'disabled', 'created', 'updated'],
  properties: {
    name: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string' },
    prefixes: { type: 'array', items: { type: 'string' } },
    groups: { type: 'array', items: { type: 'string' } },
    disabled: { type: 'boolean' },
    signsInWith: { type: 'string', enum: ['password', 'openid-connect'] },
    created: { type: 'string' },
    updated: { type: 'string' },
  },
} as const;

function userView({ subject, ...user }: User): Record<string, unknown> {
  return { ...user, signsInWith: subject === undefined ? 'password' : 'openid-connect' };
}

function actorOf(request: FastifyRequest): Actor {
  const principal = request.principal;
  return {
    name: principal?.name ?? 'anonymous',
    ...(principal?.credential === undefined ? {} : { credential: principal.credential }),
    source: request.ip,
  };
}

/** Pages answer with HTML; a script or a test posting JSON gets problem+json like the rest of the API. */
const wantsHtml = (request: FastifyRequest): boolean =>
  (request.headers['content-type'] ?? '').startsWith(FORM) || request.method === 'GET';

/** The sign-in pages' own Referer rule: browsers then send Origin on their form posts (see csrf.ts). */
function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'same-origin');
}

/**
 * For the page routes (src/server/routes/pages.ts): outside the demo, a visitor without a session is
 * sent to the sign-in page and back afterwards. A bearer token does not open pages: browsers sign in.
 */
export function signInGate(people: PeopleService, demo: boolean) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (demo || people.peekSession(request) !== undefined) return;
    await reply
      .header('cache-control', 'no-store')
      .redirect(`/signin?next=${encodeURIComponent(request.url)}`, 302);
  };
}

export async function peopleRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { people, refusals } = deps;
  const page = { config: { permission: 'public' as const }, schema: { hide: true } };
  app.addContentTypeParser(
    FORM,
    { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  /** Shows a refusal as a page (counted as the error handler counts API refusals). */
  const refusePage = (reply: FastifyReply, error: ImverseError, html: string): FastifyReply => {
    refusals.count('http', error.code);
    return pageHeaders(reply.code(error.status)).send(html);
  };

  const signedIn = (request: FastifyRequest, reply: FastifyReply, result: SignedIn): FastifyReply =>
    reply.header('set-cookie', sessionCookies(request, result.secret, result.session.csrf));

  app.get('/signin', page, async (request, reply) => {
    const next = safeNext((request.query as { next?: unknown }).next);
    const current = people.peekSession(request);
    pageHeaders(reply);
    return current === undefined
      ? signInPage({ next, oidc: people.oidc !== undefined })
      : signedInPage(current.user, current.session.csrf, next);
  });

  app.post('/signin', page, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const html = wantsHtml(request);
    const name = typeof body.name === 'string' ? body.name : '';
    try {
      // Login CSRF: another site must not sign this browser in as the attacker.
      if (!isSameOrigin(request)) {
        throw new AuthError('IMV_CSRF_REJECTED', `Sign in from ${ownOrigin(request)}/signin`);
      }
      if (typeof body.password !== 'string' || name === '') {
        throw new ValidationError('IMV_REQUEST_INVALID', 'Send a name and a password', { path: '/name' });
      }
      const result = await people.signIn(name, body.password, request.ip);
      signedIn(request, reply, result);
      if (html) return reply.redirect(next, 303);
      return { name: result.user.name, role: result.user.role, csrfToken: result.session.csrf };
    } catch (error) {
      if (error instanceof SignInLockedError) reply.header('retry-after', String(error.retryAfterSeconds));
      if (!html || !isImverseError(error)) throw error;
      return refusePage(
        reply,
        error,
        signInPage({ next, name, error: error.message, oidc: people.oidc !== undefined }),
      );
    }
  });

  app.post('/signout', page, async (request, reply) => {
    const current = people.peekSession(request);
    if (current !== undefined) {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const token = request.headers[CSRF_HEADER] ?? body[CSRF_FIELD];
      if (!isSameOrigin(request) || !tokensMatch(token, current.session.csrf)) {
        const error = new AuthError('IMV_CSRF_REJECTED', 'Sign out from this site’s own pages');
        if (!wantsHtml(request)) throw error;
        return refusePage(reply, error, problemPage('Not signed out', error.message, error.code));
      }
      await people.signOut(current.session, request.ip);
    }
    reply.header('set-cookie', clearedCookies(request));
    return wantsHtml(request) ? reply.redirect('/signin', 303) : reply.code(204).send();
  });

  app.get('/signin/oidc', page, async (request, reply) => {
    const next = safeNext((request.query as { next?: unknown }).next);
    try {
      if (people.oidc === undefined) {
        throw new ImverseError('IMV_OIDC_NOT_CONFIGURED', 'This server has no OpenID Connect provider');
      }
      const { url, state } = await people.oidc.start(`${ownOrigin(request)}/signin/oidc/callback`, next);
      reply.header(
        'set-cookie',
        serialize(OIDC_STATE_COOKIE, state, {
          path: '/signin/oidc',
          httpOnly: true,
          // Lax: the provider's redirect back is a top-level GET from its site, which Lax lets through.
          sameSite: 'lax',
          secure: request.protocol === 'https',
          maxAge: 600,
        }),
      );
      return reply.header('cache-control', 'no-store').redirect(url.href, 302);
    } catch (error) {
      if (!isImverseError(error)) throw error;
      return refusePage(reply, error, problemPage('Sign-in is not available', error.message, error.code));
    }
  });

  app.get('/signin/oidc/callback', page, async (request, reply) => {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    try {
      if (people.oidc === undefined) {
        throw new ImverseError('IMV_OIDC_NOT_CONFIGURED', 'This server has no OpenID Connect provider');
      }
      const identity = await people.oidc.finish(query, readCookie(request, OIDC_STATE_COOKIE));
      const result = await people.oidcSignIn(identity, request.ip);
      reply.header('set-cookie', [
        ...sessionCookies(request, result.secret, result.session.csrf),
        serialize(OIDC_STATE_COOKIE, '', { path: '/signin/oidc', maxAge: 0 }),
      ]);
      return reply.redirect(identity.next, 303);
    } catch (error) {
      if (!isImverseError(error)) throw error;
      return refusePage(reply, error, problemPage('Not signed in', error.message, error.code));
    }
  });

  const tags = ['people'];
  app.get(
    '/api/v1/me',
    {
      config: { permission: 'signed-in' },
      schema: {
        tags,
        summary: 'Who is signed in (or which token or demo access this is), and the session’s CSRF token',
        response: {
          200: {
            type: 'object',
            required: ['name', 'role', 'via'],
            properties: {
              name: { type: 'string' },
              displayName: { type: 'string' },
              role: { type: 'string' },
              via: { type: 'string', enum: ['token', 'session', 'demo'] },
              prefixes: { type: 'array', items: { type: 'string' } },
              csrfToken: {
                type: 'string',
                description: 'Send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE of this session',
              },
            },
          },
        },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const session = people.sessionOf(request);
      const user = session === undefined ? undefined : people.users.get(session.user);
      return {
        name: principal.name,
        ...(user === undefined ? {} : { displayName: user.displayName }),
        role: principal.role,
        via: principal.via,
        ...(principal.prefixes === undefined ? {} : { prefixes: principal.prefixes }),
        ...(session === undefined ? {} : { csrfToken: session.csrf }),
      };
    },
  );

  app.post<{ Body: { current: string; new: string } }>(
    '/api/v1/me/password',
    {
      config: { permission: 'signed-in' },
      schema: {
        tags,
        summary: 'Change the signed-in person’s password; their other sessions end',
        body: {
          type: 'object',
          required: ['current', 'new'],
          additionalProperties: false,
          properties: {
            current: { type: 'string', maxLength: 1024 },
            new: { type: 'string', maxLength: 1024 },
          },
        },
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const session = people.sessionOf(request);
      if (session === undefined) {
        throw new AuthError(
          'IMV_AUTH_FORBIDDEN',
          'Only a person signed in with a password has one to change',
        );
      }
      await people.changePassword(session, request.body.current, request.body.new, request.ip);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/users',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary: 'List the user accounts',
        response: { 200: { type: 'array', items: userSchema } },
      },
    },
    async () => people.users.list().map(userView),
  );

  const changeable = {
    displayName: { type: 'string', minLength: 1, maxLength: 200 },
    role: { type: 'string', enum: [...ROLES] },
    prefixes: { type: 'array', items: { type: 'string' }, maxItems: 100 },
    groups: { type: 'array', items: { type: 'string' }, maxItems: 100 },
  } as const;

  app.post<{
    Body: {
      name: string;
      password?: string;
      role: string;
      displayName?: string;
      prefixes?: string[];
      groups?: string[];
    };
  }>(
    '/api/v1/users',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: 'Create a user account (with a password, or without one for OpenID Connect people)',
        body: {
          type: 'object',
          required: ['name', 'role'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', maxLength: 64 },
            password: { type: 'string', maxLength: 1024 },
            ...changeable,
          },
        },
        response: { 201: userSchema },
      },
    },
    async (request, reply) => {
      const user = await people.addUser(request.body, actorOf(request));
      return reply.code(201).send(userView(user));
    },
  );

  app.patch<{
    Params: { name: string };
    Body: {
      password?: string;
      role?: string;
      displayName?: string;
      prefixes?: string[] | null;
      groups?: string[];
      disabled?: boolean;
    };
  }>(
    '/api/v1/users/:name',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary:
          'Change a user account: role, tenants, groups, password, or disable it (which ends its sessions)',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...changeable,
            prefixes: { type: ['array', 'null'], items: { type: 'string' }, maxItems: 100 },
            password: { type: 'string', maxLength: 1024 },
            disabled: { type: 'boolean' },
          },
        },
        response: { 200: userSchema },
      },
    },
    async (request) => {
      const { password, ...changes } = request.body;
      const actor = actorOf(request);
      if (password !== undefined) await people.setPassword(request.params.name, password, actor);
      const user = await people.updateUser(request.params.name, changes as never, actor);
      return userView(user);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/v1/users/:name',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: 'Delete a user account and end its sessions',
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await people.removeUser(request.params.name, actorOf(request));
      return reply.code(204).send();
    },
  );
}
