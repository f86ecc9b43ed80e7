// Password sign-in on a non-demo platform: session cookies, what they open, CSRF, lockout, sign-out,
// password change, and the security events each publishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_EVENT_TYPES, type ImverseEvent, type SecurityEventData } from '../src/core/wire.js';
import { body, cookiesOf, createUser, signIn, signInRequest } from './helpers/people.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

const PASSWORD = 'correct horse battery';
let p: TestPlatform;
const events: Array<ImverseEvent<SecurityEventData>> = [];

beforeAll(async () => {
  p = await startTestPlatform({ signInMaxFailures: 3, signInMaxFailuresPerAddress: 1000 });
  p.platform.core.bus.subscribe((event) => void events.push(event as ImverseEvent<SecurityEventData>), {
    types: Object.values(SECURITY_EVENT_TYPES),
  });
  await createUser(p, 'ada', PASSWORD, 'admin');
  await createUser(p, 'rita', PASSWORD, 'viewer', { prefixes: ['88.100.1'] });
});
afterAll(async () => {
  await p?.close();
});

const eventsOf = (type: string) => events.filter((event) => event.type === type).map((event) => event.data);

describe('password sign-in', () => {
  it('sets an HttpOnly, SameSite session cookie that authenticates API calls as the person', async () => {
    const res = await signInRequest(p, 'rita', PASSWORD);
    expect(res.status).toBe(200);
    const [session] = res.headers.getSetCookie().filter((header) => header.startsWith('imv_session='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/i);
    // 256 random bits, base64url.
    expect(cookiesOf(res).get('imv_session')).toMatch(/^[\w-]{43}$/);

    const rita = await signIn(p, 'rita', PASSWORD);
    const me = await body(await rita.fetch('/api/v1/me'));
    expect(me).toMatchObject({ name: 'rita', role: 'viewer', via: 'session', prefixes: ['88.100.1'] });
    expect(me.csrfToken).toBe(rita.csrf);
    expect((await rita.fetch('/api/v1/twins')).status).toBe(200);
    expect((await rita.fetch('/api/v1/tokens')).status).toBe(403);
    expect(eventsOf(SECURITY_EVENT_TYPES.signedIn).some((data) => data.actor === 'rita')).toBe(true);
  });

  it('answers a wrong password and an unknown name alike, and locks a name after repeated failures', async () => {
    const wrong = await signInRequest(p, 'ada', 'not the password');
    const unknown = await signInRequest(p, 'nobody', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await body(wrong), await body(unknown)];
    expect(a.code).toBe('IMV_SIGNIN_FAILED');
    expect({ ...a, instance: '' }).toEqual({ ...b, instance: '' });

    await signInRequest(p, 'ada', 'not the password either');
    // The third failure locks the name: now even the right password is refused, for a while.
    await signInRequest(p, 'ada', 'still not it');
    const locked = await signInRequest(p, 'ada', PASSWORD);
    expect(locked.status).toBe(429);
    expect((await body(locked)).code).toBe('IMV_SIGNIN_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // An unknown name locks the same way, so a lock says nothing about whether a name exists.
    for (let i = 0; i < 2; i++) await signInRequest(p, 'nobody', 'x'.repeat(12));
    expect((await signInRequest(p, 'nobody', 'x'.repeat(12))).status).toBe(429);
    const failed = eventsOf(SECURITY_EVENT_TYPES.signInFailed);
    expect(failed.some((data) => data.target === 'ada' && data.code === 'IMV_SIGNIN_FAILED')).toBe(true);
    expect(failed.some((data) => data.target === 'ada' && data.code === 'IMV_SIGNIN_LOCKED')).toBe(true);
    expect(failed.every((data) => data.source !== undefined && data.actor === 'anonymous')).toBe(true);
  });

  it('locks a client address after repeated failures over many names', async () => {
    const q = await startTestPlatform({ signInMaxFailures: 100, signInMaxFailuresPerAddress: 3 });
    try {
      await createUser(q, 'ada', PASSWORD, 'admin');
      for (const name of ['a1', 'a2', 'a3'])
        expect((await signInRequest(q, name, 'wrong password')).status).toBe(401);
      expect((await signInRequest(q, 'ada', PASSWORD)).status).toBe(429);
    } finally {
      await q.close();
    }
  });
});

describe('a session cookie sent cross-site', () => {
  it('does not act without the CSRF token, or from another origin', async () => {
    const rita = await signIn(p, 'rita', PASSWORD);
    const query = { query: 'SELECT * FROM DIGITALTWINS' };
    const noToken = await rita.fetch('/api/v1/query', {
      method: 'POST',
      json: query,
      headers: { 'x-csrf-token': '' },
    });
    expect(noToken.status).toBe(403);
    expect((await body(noToken)).code).toBe('IMV_CSRF_REJECTED');
    const foreign = await rita.fetch('/api/v1/query', {
      method: 'POST',
      json: query,
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect((await body(foreign)).code).toBe('IMV_CSRF_REJECTED');
    const noOrigin = await fetch(`${p.url}/api/v1/query`, {
      method: 'POST',
      headers: { cookie: rita.cookie, 'x-csrf-token': rita.csrf, 'content-type': 'application/json' },
      body: JSON.stringify(query),
    });
    expect((await body(noOrigin)).code).toBe('IMV_CSRF_REJECTED');
    // From its own pages, with the token, the same request works; a bearer token needs neither.
    expect((await rita.fetch('/api/v1/query', { method: 'POST', json: query })).status).toBe(200);
    expect((await p.api('/api/v1/query', { method: 'POST', json: query })).status).toBe(200);
  });

  it('does not sign a browser in from another site (login CSRF)', async () => {
    const res = await fetch(`${p.url}/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ name: 'rita', password: PASSWORD }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});

describe('pages', () => {
  it('send a visitor who is not signed in to the sign-in page, and back afterwards', async () => {
    const res = await fetch(`${p.url}/world?root=88.100.1`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/signin?next=%2Fworld%3Froot%3D88.100.1');
    const form = await fetch(`${p.url}/signin?next=%2Fworld%3Froot%3D88.100.1`);
    const html = await form.text();
    expect(html).toContain('<form method="post" action="/signin">');
    expect(html).toContain('value="/world?root=88.100.1"');

    const signedIn = await fetch(`${p.url}/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: p.url },
      body: new URLSearchParams({
        name: 'rita',
        password: PASSWORD,
        next: '/world?root=88.100.1',
      }).toString(),
      redirect: 'manual',
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/world?root=88.100.1');
    const cookie = `imv_session=${cookiesOf(signedIn).get('imv_session')}`;
    expect((await fetch(`${p.url}/dashboard`, { headers: { cookie }, redirect: 'manual' })).status).not.toBe(
      302,
    );
  });

  it('never redirect off the site after sign-in', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const res = await fetch(`${p.url}/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: p.url },
        body: new URLSearchParams({ name: 'rita', password: PASSWORD, next }).toString(),
        redirect: 'manual',
      });
      expect(res.headers.get('location')).toBe('/');
    }
  });

  it('show a wrong password on the form again, without JavaScript', async () => {
    const res = await fetch(`${p.url}/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: p.url },
      body: new URLSearchParams({ name: 'rita', password: 'wrong password!' }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('The name or password is wrong');
  });
});

describe('ending sessions', () => {
  it('signs out: the cookie stops working and its sockets are told to close', async () => {
    const rita = await signIn(p, 'rita', PASSWORD);
    const me = await body(await rita.fetch('/api/v1/me'));
    expect(me.via).toBe('session');
    const out = await rita.fetch('/signout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect((await rita.fetch('/api/v1/me')).status).toBe(401);
    const revoked = eventsOf(SECURITY_EVENT_TYPES.credentialRevoked).map((data) => data.credential);
    const signedOut = eventsOf(SECURITY_EVENT_TYPES.signedOut).at(-1)!;
    expect(signedOut.credential).toMatch(/^session:/);
    expect(revoked).toContain(signedOut.credential);
  });

  it('refuses a sign-out another site asks for', async () => {
    const rita = await signIn(p, 'rita', PASSWORD);
    const out = await rita.fetch('/signout', { method: 'POST', headers: { 'x-csrf-token': 'guess' } });
    expect(out.status).toBe(403);
    expect((await rita.fetch('/api/v1/me')).status).toBe(200);
  });

  it('changes a password with the current one, ending the other sessions', async () => {
    await createUser(p, 'paul', PASSWORD, 'viewer');
    const here = await signIn(p, 'paul', PASSWORD);
    const elsewhere = await signIn(p, 'paul', PASSWORD);
    const wrong = await here.fetch('/api/v1/me/password', {
      method: 'POST',
      json: { current: 'not my password', new: 'a new long passphrase' },
    });
    expect(wrong.status).toBe(403);
    expect((await body(wrong)).code).toBe('IMV_PASSWORD_WRONG');
    const weak = await here.fetch('/api/v1/me/password', {
      method: 'POST',
      json: { current: PASSWORD, new: 'short' },
    });
    expect((await body(weak)).code).toBe('IMV_PASSWORD_WEAK');
    const changed = await here.fetch('/api/v1/me/password', {
      method: 'POST',
      json: { current: PASSWORD, new: 'a new long passphrase' },
    });
    expect(changed.status).toBe(204);
    expect((await here.fetch('/api/v1/me')).status).toBe(200);
    expect((await elsewhere.fetch('/api/v1/me')).status).toBe(401);
    expect((await signInRequest(p, 'paul', PASSWORD)).status).toBe(401);
    expect((await signInRequest(p, 'paul', 'a new long passphrase')).status).toBe(200);
  });

  it('ends the sessions of a user who is disabled or deleted', async () => {
    await createUser(p, 'dora', PASSWORD, 'viewer');
    const dora = await signIn(p, 'dora', PASSWORD);
    const disabled = await p.api('/api/v1/users/dora', { method: 'PATCH', json: { disabled: true } });
    expect(disabled.status).toBe(200);
    expect((await dora.fetch('/api/v1/me')).status).toBe(401);
    expect((await signInRequest(p, 'dora', PASSWORD)).status).toBe(401);
    const changed = eventsOf(SECURITY_EVENT_TYPES.userChanged).filter((data) => data.target === 'dora');
    expect(changed.map((data) => data.action)).toEqual(['user.create', 'user.update']);

    await p.api('/api/v1/users/dora', { method: 'PATCH', json: { disabled: false } });
    const again = await signIn(p, 'dora', PASSWORD);
    const sessionId = eventsOf(SECURITY_EVENT_TYPES.signedIn).at(-1)!.credential;
    expect((await p.api('/api/v1/users/dora', { method: 'DELETE' })).status).toBe(204);
    expect((await again.fetch('/api/v1/me')).status).toBe(401);
    expect(eventsOf(SECURITY_EVENT_TYPES.credentialRevoked).map((data) => data.credential)).toContain(
      sessionId,
    );
  });
});
