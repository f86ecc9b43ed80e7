// `imverse user add|list|set-password|disable|enable|remove`: people's accounts in a data directory,
// while the platform is stopped (through a running one, use /api/v1/users). Passwords are read from a
// file or standard input, never from the command line, where other users of the machine see them.
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ImverseError, ValidationError } from '../core/errors.js';
import { PeopleService, type Actor } from '../server/people/PeopleService.js';
import { runningPlatform } from '../server/running-marker.js';
import { leavingNothingOnFailure } from './data-dir-guard.js';
import { loadConfig } from './options.js';

export interface UserCommandOptions {
  readonly data?: string;
  readonly passwordFile?: string;
}

const ACTOR: Actor = { name: 'cli' };

async function withPeople<T>(
  options: UserCommandOptions,
  work: (people: PeopleService) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ dataDir: options.data });
  const running = runningPlatform(config.dataDir);
  if (running !== undefined) {
    // The running platform holds sessions and would not see the change end them.
    throw new ImverseError(
      'IMV_DATA_DIR_IN_USE',
      `the platform is running on ${config.dataDir} (process ${running.pid}): manage users through ${running.url}/api/v1/users with an admin token, or stop it first`,
    );
  }
  mkdirSync(config.dataDir, { recursive: true });
  return leavingNothingOnFailure(config.dataDir, async () => {
    const people = new PeopleService(join(config.dataDir, 'people.sqlite'), config, undefined);
    try {
      return await work(people);
    } finally {
      people.close();
    }
  });
}

/** The first line of --password-file, else of standard input. */
function readPassword(options: UserCommandOptions): string {
  const text = readFileSync(options.passwordFile ?? 0, 'utf8');
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password === '') {
    throw new ValidationError(
      'IMV_PASSWORD_WEAK',
      'No password: give --password-file FILE, or the password on standard input',
      { path: '/password' },
    );
  }
  return password;
}

export function userAddCommand(
  name: string,
  options: UserCommandOptions & { role: string; displayName?: string; prefix?: string[]; group?: string[] },
): Promise<void> {
  return withPeople(options, async (people) => {
    const user = await people.addUser(
      {
        name,
        role: options.role,
        password: readPassword(options),
        ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
        ...(options.prefix === undefined ? {} : { prefixes: options.prefix }),
        ...(options.group === undefined ? {} : { groups: options.group }),
      },
      ACTOR,
    );
    const scope = user.prefixes ? ` limited to ${user.prefixes.join(', ')}` : '';
    console.log(`created ${user.role} user "${user.name}"${scope}: sign in at /signin`);
  });
}

export function userListCommand(options: UserCommandOptions & { json?: boolean }): Promise<void> {
  return withPeople(options, async (people) => {
    const users = people.users.list();
    if (options.json) {
      console.log(JSON.stringify(users, null, 2));
      return;
    }
    if (users.length === 0) console.log('no users (imverse user add NAME --role admin)');
    for (const user of users) {
      const notes = [
        user.prefixes ? `prefixes ${user.prefixes.join(', ')}` : 'all tenants',
        ...(user.groups.length > 0 ? [`groups ${user.groups.join(', ')}`] : []),
        ...(user.subject ? ['OpenID Connect'] : []),
        ...(user.disabled ? ['DISABLED'] : []),
      ];
      console.log(`${user.name}\t${user.role}\t${user.displayName}\t${notes.join('; ')}`);
    }
  });
}

export function userSetPasswordCommand(name: string, options: UserCommandOptions): Promise<void> {
  return withPeople(options, async (people) => {
    await people.setPassword(name, readPassword(options), ACTOR);
    console.log(`set a new password for "${name}"; their sessions have ended`);
  });
}

export function userDisableCommand(
  name: string,
  options: UserCommandOptions & { enable?: boolean },
): Promise<void> {
  return withPeople(options, async (people) => {
    await people.updateUser(name, { disabled: !options.enable }, ACTOR);
    console.log(options.enable ? `enabled "${name}"` : `disabled "${name}"; their sessions have ended`);
  });
}

export function userRemoveCommand(name: string, options: UserCommandOptions): Promise<void> {
  return withPeople(options, async (people) => {
    await people.removeUser(name, ACTOR);
    console.log(`removed "${name}"`);
  });
}
