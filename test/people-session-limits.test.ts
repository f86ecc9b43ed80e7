// A session's idle timeout and absolute lifetime, on a real people.sqlite with the clock passed in.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/core/config.js';
import { PeopleService } from '../src/server/people/PeopleService.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const MINUTE = 60_000;

function open(now: { t: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'imverse-people-'));
  dirs.push(dir);
  const file = join(dir, 'people.sqlite');
  const people = new PeopleService(
    file,
    { ...DEFAULT_CONFIG, sessionIdleMinutes: 30, sessionMaxHours: 2 },
    undefined,
    () => now.t,
  );
  return { people, file };
}

/** A GET as the page would send it, with the session cookie. */
const request = (secret: string) =>
  ({
    headers: { cookie: `imv_session=${secret}`, host: 'localhost' },
    method: 'GET',
    protocol: 'http',
    host: 'localhost',
    raw: {},
  }) as unknown as FastifyRequest;

describe('session limits', () => {
  it('ends a session left idle longer than sessionIdleMinutes', async () => {
    const now = { t: Date.parse('2026-01-01T08:00:00Z') };
    const { people } = open(now);
    await people.addUser({ name: 'ada', password: 'correct horse battery', role: 'admin' }, { name: 'test' });
    const { secret } = await people.signIn('ada', 'correct horse battery', '127.0.0.1');
    now.t += 29 * MINUTE;
    expect(people.principalOf(request(secret))?.name).toBe('ada');
    // Used 29 minutes in: idle counts from then.
    now.t += 29 * MINUTE;
    expect(people.principalOf(request(secret))?.name).toBe('ada');
    now.t += 31 * MINUTE;
    expect(people.principalOf(request(secret))).toBeUndefined();
    people.close();
  });

  it('ends a session sessionMaxHours after sign-in however busy it is', async () => {
    const now = { t: Date.parse('2026-01-01T08:00:00Z') };
    const { people } = open(now);
    await people.addUser({ name: 'ada', password: 'correct horse battery', role: 'admin' }, { name: 'test' });
    const { secret } = await people.signIn('ada', 'correct horse battery', '127.0.0.1');
    for (let minutes = 0; minutes < 115; minutes += 5) {
      now.t += 5 * MINUTE;
      expect(people.principalOf(request(secret))?.name).toBe('ada');
    }
    now.t += 10 * MINUTE;
    expect(people.principalOf(request(secret))).toBeUndefined();
    people.close();
  });

  it('keeps password hashes in an owner-only file, as argon2id, and no session secret', async () => {
    const now = { t: Date.now() };
    const { people, file } = open(now);
    await people.addUser({ name: 'ada', password: 'correct horse battery', role: 'admin' }, { name: 'test' });
    const { secret } = await people.signIn('ada', 'correct horse battery', '127.0.0.1');
    expect(statSync(file).mode & 0o077).toBe(0);
    // PHC string: argon2id, version 19, OWASP's parameters (in whichever order the library writes them).
    const [, algorithm, version, parameters] = people.users.passwordHash('ada')!.split('$');
    expect([algorithm, version]).toEqual(['argon2id', 'v=19']);
    expect(parameters!.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    const stored = JSON.stringify(people.users.db.prepare('SELECT * FROM sessions').all());
    expect(stored).not.toContain(secret);
    people.close();
  });
});
