// A real OpenID Connect provider (oidc-provider) on a loopback port, with accounts whose claims a test
// chooses, and a browser stand-in that walks its sign-in and consent forms with plain HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestProvider {
  readonly issuer: string;
  /** Registers the platform as a client once its callback URL is known. */
  start(client: { clientId: string; clientSecret: string; redirectUri: string }): void;
  close(): Promise<void>;
}

/** Claims of each account by login name (the devInteractions form takes any login). */
export async function startTestProvider(
  accounts: Record<string, Record<string, unknown>>,
): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    start({ clientId, clientSecret, redirectUri }) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        claims: {
          openid: ['sub'],
          profile: ['name', 'preferred_username'],
          email: ['email'],
          roles: ['roles'],
          plants: ['plants'],
        },
        async findAccount(_ctx, sub) {
          const claims = accounts[sub];
          if (claims === undefined) return undefined;
          return { accountId: sub, claims: async () => ({ sub, preferred_username: sub, ...claims }) };
        },
        features: { devInteractions: { enabled: true } },
        cookies: { keys: ['a test key, not a secret'] },
      });
      server.on('request', provider.callback());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Follows redirects from `start` by hand, as a browser would, keeping each site's cookies; fills the
 * provider's login form with `login` and accepts its consent form. Returns the answer of the first URL
 * under `stopAt` (the platform's callback), or the first that is neither a redirect nor such a form.
 */
export async function walkSignIn(
  start: string,
  login: string,
  stopAt: string,
): Promise<{ response: Response; url: string; cookies: Map<string, string> }> {
  const jars = new Map<string, Map<string, string>>();
  const jar = (url: string) => {
    const origin = new URL(url).origin;
    if (!jars.has(origin)) jars.set(origin, new Map());
    return jars.get(origin)!;
  };
  let url = start;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    const cookies = jar(url);
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair!.indexOf('=');
      const value = pair!.slice(at + 1);
      if (value === '' || /max-age=0/i.test(header)) cookies.delete(pair!.slice(0, at));
      else cookies.set(pair!.slice(0, at), value);
    }
    if (url.startsWith(stopAt)) return { response, url, cookies };
    const location = response.headers.get('location');
    if (location !== null) {
      url = new URL(location, url).href;
      init = {};
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (action === undefined || prompt === undefined) {
      return { response: new Response(html, { status: response.status }), url, cookies };
    }
    const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login, password: 'any' } : {}) });
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    };
  }
  throw new Error('sign-in did not finish within 20 steps');
}
