// OpenID Connect sign-in end to end against a real provider (oidc-provider) started here on loopback:
// the authorization code flow with PKCE, state and nonce, role mapping from the provider's claims,
// tenants from a claim, and a clear refusal for a person with no mapped role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_EVENT_TYPES, type ImverseEvent, type SecurityEventData } from '../src/core/wire.js';
import { startTestProvider, walkSignIn, type TestProvider } from './helpers/oidc-provider.js';
import { body } from './helpers/people.js';
import { startTestPlatform, type TestPlatform } from './helpers/platform.js';

let provider: TestProvider;
let p: TestPlatform;
const events: Array<ImverseEvent<SecurityEventData>> = [];

beforeAll(async () => {
  provider = await startTestProvider({
    ada: { name: 'Ada Engineer', roles: ['staff', 'plant-engineers'], plants: ['*'] },
    vic: { name: 'Vic Visitor', roles: ['visitors'], plants: ['88.100.1'] },
    nora: { name: 'Nora Nobody', roles: ['canteen'] },
    tom: { name: 'Tom Tenantless', roles: ['visitors'] },
  });
  p = await startTestPlatform({
    oidcIssuer: provider.issuer,
    oidcClientId: 'imverse',
    oidcClientSecret: 'imverse-test-secret',
    oidcRoleClaim: 'roles',
    oidcRoleMap: { 'plant-engineers': 'engineer', visitors: 'viewer' },
    oidcTenantClaim: 'plants',
  });
  provider.start({
    clientId: 'imverse',
    clientSecret: 'imverse-test-secret',
    redirectUri: `${p.url}/signin/oidc/callback`,
  });
  p.platform.core.bus.subscribe((event) => void events.push(event as ImverseEvent<SecurityEventData>), {
    types: Object.values(SECURITY_EVENT_TYPES),
  });
}, 60_000);
afterAll(async () => {
  await p?.close();
  await provider?.close();
});

async function signInAs(login: string) {
  const { response, cookies } = await walkSignIn(
    `${p.url}/signin/oidc?next=${encodeURIComponent('/world')}`,
    login,
    `${p.url}/signin/oidc/callback`,
  );
  const cookie = cookies.has('imv_session') ? `imv_session=${cookies.get('imv_session')}` : undefined;
  return { response, cookie };
}

describe('OpenID Connect sign-in', () => {
  it('signs a person in through the provider with the role their claim maps to', async () => {
    const { response, cookie } = await signInAs('ada');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/world');
    expect(cookie).toBeDefined();
    const me = await body(await fetch(`${p.url}/api/v1/me`, { headers: { cookie: cookie! } }));
    expect(me).toMatchObject({ name: 'ada', displayName: 'Ada Engineer', role: 'engineer', via: 'session' });
    expect(me).not.toHaveProperty('prefixes');
    const users = await body(await p.api('/api/v1/users'));
    expect(users.find((user: { name: string }) => user.name === 'ada')).toMatchObject({
      role: 'engineer',
      signsInWith: 'openid-connect',
    });
    const signedIn = events.filter((event) => event.type === SECURITY_EVENT_TYPES.signedIn).at(-1)!.data;
    expect(signedIn).toMatchObject({ actor: 'ada', action: 'signin.oidc', result: 'ok' });
  });

  it('finds the same person again on the next sign-in, and limits them to the tenants their claim names', async () => {
    const first = await signInAs('vic');
    const second = await signInAs('vic');
    expect(second.response.status).toBe(303);
    const me = await body(await fetch(`${p.url}/api/v1/me`, { headers: { cookie: second.cookie! } }));
    expect(me).toMatchObject({ name: 'vic', role: 'viewer', prefixes: ['88.100.1'] });
    expect(first.cookie).not.toBe(second.cookie);
    const users = await body(await p.api('/api/v1/users'));
    expect(users.filter((user: { name: string }) => user.name.startsWith('vic'))).toHaveLength(1);
  });

  it('gives a person whose tenant claim is missing no tenant at all', async () => {
    const { cookie } = await signInAs('tom');
    const me = await body(await fetch(`${p.url}/api/v1/me`, { headers: { cookie: cookie! } }));
    expect(me).toMatchObject({ name: 'tom', role: 'viewer', prefixes: [] });
  });

  it('refuses a person none of whose claim values is mapped to a role', async () => {
    const { response, cookie } = await signInAs('nora');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('IMV_OIDC_NO_ROLE');
    expect(cookie).toBeUndefined();
    const failed = events.filter((event) => event.type === SECURITY_EVENT_TYPES.signInFailed).at(-1)!.data;
    expect(failed).toMatchObject({ action: 'signin.oidc', code: 'IMV_OIDC_NO_ROLE', result: 'refused' });
  });

  it('refuses an answer that does not belong to a sign-in this browser started', async () => {
    const started = await fetch(`${p.url}/signin/oidc`, { redirect: 'manual' });
    const state = new URL(started.headers.get('location')!).searchParams.get('state')!;
    // Another browser (no state cookie) presents a state of a sign-in it did not start.
    const forged = await fetch(`${p.url}/signin/oidc/callback?code=stolen&state=${state}`, {
      redirect: 'manual',
    });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('IMV_OIDC_FAILED');
    expect(forged.headers.getSetCookie().some((header) => header.startsWith('imv_session='))).toBe(false);
  });

  it('sends the browser to the provider with PKCE, state and nonce', async () => {
    const started = await fetch(`${p.url}/signin/oidc`, { redirect: 'manual' });
    const url = new URL(started.headers.get('location')!);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    for (const name of ['code_challenge', 'state', 'nonce'])
      expect(url.searchParams.get(name)).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('redirect_uri')).toBe(`${p.url}/signin/oidc/callback`);
  });
});

describe('without a provider', () => {
  it('answers that OpenID Connect is not configured', async () => {
    const q = await startTestPlatform();
    try {
      const res = await fetch(`${q.url}/signin/oidc`, { redirect: 'manual' });
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('IMV_OIDC_NOT_CONFIGURED');
      expect(await (await fetch(`${q.url}/signin`)).text()).not.toContain('/signin/oidc');
    } finally {
      await q.close();
    }
  });
});
