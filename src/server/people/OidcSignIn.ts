// OpenID Connect sign-in with openid-client: the authorization code flow with PKCE, state and nonce.
// The browser carries only the state (in a short-lived cookie that binds the answer to the browser
// that asked); the code verifier and nonce stay here until the provider sends the browser back.
import * as client from 'openid-client';
import { ImverseError } from '../../core/errors.js';
import type { Config } from '../../core/config.js';

export type OidcSettings = Pick<
  Config,
  'oidcIssuer' | 'oidcClientId' | 'oidcClientSecret' | 'oidcRedirectUrl' | 'oidcRoleClaim' | 'oidcTenantClaim'
>;

export const OIDC_STATE_COOKIE = 'imv_oidc';
/** How long a person may take at the provider. */
const PENDING_MS = 10 * 60_000;
/** Sign-ins started and not finished, kept at most: each costs memory until it expires. */
const MAX_PENDING = 1000;

interface Pending {
  readonly verifier: string;
  readonly nonce: string;
  readonly redirectUri: string;
  readonly next: string;
  readonly expires: number;
}

export interface OidcIdentity {
  /** `ISSUER#sub`: unique across providers. */
  readonly subject: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly next: string;
}

export class OidcSignIn {
  private configuration: Promise<client.Configuration> | undefined;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly settings: OidcSettings & { oidcIssuer: string; oidcClientId: string }) {}

  /** The provider's URL to send the browser to, and the state to keep in its cookie. */
  async start(
    defaultRedirectUri: string,
    next: string,
    now = Date.now(),
  ): Promise<{ url: URL; state: string }> {
    const config = await this.config();
    for (const [key, entry] of this.pending) if (entry.expires < now) this.pending.delete(key);
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const redirectUri = this.settings.oidcRedirectUrl ?? defaultRedirectUri;
    this.pending.set(state, { verifier, nonce, redirectUri, next, expires: now + PENDING_MS });
    // The role and tenant claims as scopes too: many providers release a claim only to a scope of its name.
    const claims = [this.settings.oidcRoleClaim, this.settings.oidcTenantClaim].filter(
      (claim) => claim !== undefined,
    );
    const scope = [...new Set(['openid', 'profile', 'email', ...claims])].join(' ');
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state };
  }

  /** Checks the provider's answer (`query` of the callback) against the state the browser's cookie holds. */
  async finish(query: string, cookieState: string | undefined, now = Date.now()): Promise<OidcIdentity> {
    const state = new URLSearchParams(query).get('state') ?? undefined;
    const pending = state === undefined ? undefined : this.pending.get(state);
    if (state === undefined || pending === undefined || pending.expires < now || cookieState !== state) {
      throw new ImverseError(
        'IMV_OIDC_FAILED',
        'This answer from the provider does not belong to a sign-in this browser started, or it expired',
      );
    }
    this.pending.delete(state);
    const config = await this.config();
    const currentUrl = new URL(pending.redirectUri);
    currentUrl.search = query;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new ImverseError('IMV_OIDC_FAILED', `The provider's answer was refused: ${describe(error)}`, {
        cause: error,
      });
    }
    const idClaims = tokens.claims()!;
    let claims: Record<string, unknown> = { ...idClaims };
    // Many providers put only the basics in the ID token and the rest (roles, groups) in userinfo.
    const wanted = [this.settings.oidcRoleClaim, this.settings.oidcTenantClaim].filter(
      (claim): claim is string => claim !== undefined,
    );
    if (wanted.some((claim) => claims[claim] === undefined) && config.serverMetadata().userinfo_endpoint) {
      try {
        const userInfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...userInfo, ...claims };
        for (const claim of wanted) if (claims[claim] === undefined) claims[claim] = userInfo[claim];
      } catch (error) {
        throw new ImverseError('IMV_OIDC_FAILED', `The provider's userinfo was refused: ${describe(error)}`, {
          cause: error,
        });
      }
    }
    return { subject: `${idClaims.iss}#${idClaims.sub}`, claims, next: pending.next };
  }

  private config(): Promise<client.Configuration> {
    if (this.configuration === undefined) {
      const issuer = new URL(this.settings.oidcIssuer);
      const secret = this.settings.oidcClientSecret;
      // Plain HTTP only to a provider on this machine (a test or a local development provider).
      const insecure = issuer.protocol === 'http:' && isLoopback(issuer.hostname);
      this.configuration = client
        .discovery(
          issuer,
          this.settings.oidcClientId,
          secret,
          secret === undefined ? client.None() : undefined,
          insecure ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          // Not cached: the next sign-in tries the provider again.
          this.configuration = undefined;
          throw new ImverseError(
            'IMV_OIDC_UNAVAILABLE',
            `Discovery at ${issuer.href} failed: ${describe(error)}`,
            { cause: error },
          );
        });
    }
    return this.configuration;
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
