// `imverse token create`: a bearer token for a data directory, printed once.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../core/errors.js';
import { TokenStore } from '../server/auth/TokenStore.js';
import { isRole } from '../server/auth/roles.js';
import { prefixProblem } from '../twin/TenantScope.js';
import { loadConfig } from './options.js';

export async function tokenCreateCommand(options: {
  role: string;
  name: string;
  prefix?: string[];
  data?: string;
}): Promise<void> {
  if (!isRole(options.role)) {
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      `--role must be reader, writer or admin, not "${options.role}"`,
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
  const config = loadConfig({ dataDir: options.data });
  mkdirSync(config.dataDir, { recursive: true });
  const tokens = new TokenStore(join(config.dataDir, 'auth.sqlite'));
  try {
    const { token, info } = tokens.create(options.name, options.role, options.prefix);
    const scope = info.prefixes ? ` limited to ${info.prefixes.join(', ')}` : '';
    console.log(`created ${info.role} token ${info.id} for "${info.name}"${scope}:\n${token}`);
  } finally {
    tokens.close();
  }
}
