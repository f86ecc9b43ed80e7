// `imverse token create|list|revoke`: the bearer tokens of a data directory; a new one is printed once.
import { join } from 'node:path';
import { ValidationError } from '../core/errors.js';
import { TokenStore } from '../server/auth/TokenStore.js';
import { tokenExpiry } from '../server/auth/token-expiry.js';
import { openDataDir, restrictDataDir } from '../server/data-dir.js';
import { ROLES, roleNamed } from '../server/auth/roles.js';
import { prefixProblem } from '../twin/TenantScope.js';
import { loadConfig } from './options.js';

export async function tokenCreateCommand(options: {
  role: string;
  name: string;
  prefix?: string[];
  expiresIn?: string;
  expires?: string;
  data?: string;
}): Promise<void> {
  const role = roleNamed(options.role);
  if (role === undefined) {
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      `--role must be one of ${ROLES.join(', ')}, not "${options.role}"`,
      {
        path: '/role',
      },
    );
  }
  options.prefix?.forEach((prefix) => {
    const problem = prefixProblem(prefix);
    if (problem !== undefined) {
      throw new ValidationError('IMV_REQUEST_INVALID', `--prefix "${prefix}": ${problem}`, {
        path: '/prefix',
      });
    }
  });
  const expires = tokenExpiry(options, Date.now(), { expiresIn: '--expires-in', expires: '--expires' });
  await withTokens(options.data, (tokens) => {
    const { token, info } = tokens.create(options.name, role, options.prefix, expires);
    const scope = info.prefixes ? ` limited to ${info.prefixes.join(', ')}` : '';
    const until = info.expires ? `, valid until ${info.expires}` : '';
    console.log(`created ${info.role} token ${info.id} for "${info.name}"${scope}${until}:\n${token}`);
  });
}

/** `imverse token list`: one line per token, never its secret. */
export async function tokenListCommand(options: { data?: string }): Promise<void> {
  await withTokens(options.data, (tokens) => {
    const now = Date.now();
    for (const info of tokens.list()) {
      const expired = info.expires !== undefined && Date.parse(info.expires) <= now;
      console.log(
        [
          info.id,
          info.role,
          JSON.stringify(info.name),
          info.prefixes ? `prefixes ${info.prefixes.join(',')}` : 'all prefixes',
          `created ${info.created}`,
          info.expires ? `${expired ? 'expired' : 'expires'} ${info.expires}` : 'never expires',
          info.lastUsed ? `last used ${info.lastUsed}` : 'never used',
        ].join('  '),
      );
    }
  });
}

/**
 * `imverse token revoke ID`. A running platform notices within a minute (it looks a token in use up
 * again every minute); revoking through the API takes effect at once and closes the token's sockets.
 */
export async function tokenRevokeCommand(id: string, options: { data?: string }): Promise<void> {
  await withTokens(options.data, (tokens) => {
    tokens.revoke(id);
    console.log(`revoked token ${id}`);
  });
}

async function withTokens(data: string | undefined, work: (tokens: TokenStore) => void): Promise<void> {
  const config = loadConfig({ dataDir: data });
  openDataDir(config.dataDir);
  const tokens = new TokenStore(join(config.dataDir, 'auth.sqlite'));
  try {
    restrictDataDir(config.dataDir);
    work(tokens);
  } finally {
    tokens.close();
  }
}
