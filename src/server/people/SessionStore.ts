// Sign-in sessions, beside the users in people.sqlite. The browser holds a random 256-bit secret in
// its cookie; only the secret's SHA-256 is stored, so a copy of the file signs nobody in. Each session
// also has a public id (for `session:ID` in events and logs) and its CSRF token.
import type Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';

export interface Session {
  readonly id: string;
  readonly user: string;
  readonly csrf: string;
  readonly created: number;
}

export interface SessionLimits {
  readonly idleMs: number;
  readonly maxMs: number;
}

/** Last-seen times are written at most this often: a busy page must not mean a write per request. */
const TOUCH_EVERY_MS = 60_000;

export class SessionStore {
  constructor(
    private readonly db: Database.Database,
    private readonly limits: SessionLimits,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY, digest BLOB NOT NULL UNIQUE, user TEXT NOT NULL, csrf TEXT NOT NULL,
      created INTEGER NOT NULL, last_seen INTEGER NOT NULL)`);
    db.exec('CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user)');
  }

  /** Opens a session; the secret goes to the browser's cookie and is never stored. */
  create(user: string, now: number): { secret: string; session: Session } {
    const secret = randomBytes(32).toString('base64url');
    const session: Session = {
      id: randomBytes(9).toString('base64url'),
      user,
      csrf: randomBytes(32).toString('base64url'),
      created: now,
    };
    this.db
      .prepare('INSERT INTO sessions (id, digest, user, csrf, created, last_seen) VALUES (?, ?, ?, ?, ?, ?)')
      .run(session.id, digest(secret), user, session.csrf, now, now);
    return { secret, session };
  }

  /** The live session a cookie's secret stands for; one past its idle or absolute limit is ended. */
  find(secret: string, now: number): Session | undefined {
    const row = this.db
      .prepare('SELECT id, user, csrf, created, last_seen FROM sessions WHERE digest = ?')
      .get(digest(secret)) as (Session & { last_seen: number }) | undefined;
    if (row === undefined) return undefined;
    if (now - row.last_seen > this.limits.idleMs || now - row.created > this.limits.maxMs) {
      this.end(row.id);
      return undefined;
    }
    if (now - row.last_seen > TOUCH_EVERY_MS) {
      this.db.prepare('UPDATE sessions SET last_seen = ? WHERE id = ?').run(now, row.id);
    }
    return { id: row.id, user: row.user, csrf: row.csrf, created: row.created };
  }

  end(id: string): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes > 0;
  }

  /** Ends every session of a user (but `keep`); returns the ids ended. */
  endAllOf(user: string, keep?: string): string[] {
    const ids = (this.db.prepare('SELECT id FROM sessions WHERE user = ?').all(user) as Array<{ id: string }>)
      .map(({ id }) => id)
      .filter((id) => id !== keep);
    const remove = this.db.prepare('DELETE FROM sessions WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => remove.run(id)))();
    return ids;
  }

  /** Deletes sessions past their limits (those never presented again would otherwise stay). */
  purgeExpired(now: number): void {
    this.db
      .prepare('DELETE FROM sessions WHERE last_seen < ? OR created < ?')
      .run(now - this.limits.idleMs, now - this.limits.maxMs);
  }
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
