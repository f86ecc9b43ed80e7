// People's accounts in people.sqlite: name, role, tenant prefixes, groups, and an argon2id hash of
// the password (none for people who sign in through OpenID Connect, who are found by their subject).
import Database from 'better-sqlite3';
import { closeSync, openSync } from 'node:fs';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { Role } from '../auth/roles.js';

export interface User {
  readonly name: string;
  readonly displayName: string;
  readonly role: Role;
  /** Identifier prefixes (tenants) the person is limited to; every prefix when absent. */
  readonly prefixes?: readonly string[];
  readonly groups: readonly string[];
  readonly disabled: boolean;
  /** `ISSUER#sub` of a person who signs in through OpenID Connect. */
  readonly subject?: string;
  readonly created: string;
  readonly updated: string;
}

export interface NewUser {
  readonly name: string;
  readonly displayName?: string;
  readonly role: Role;
  readonly prefixes?: readonly string[];
  readonly groups?: readonly string[];
  readonly passwordHash?: string;
  readonly subject?: string;
}

export type UserChanges = Partial<
  Pick<User, 'displayName' | 'role' | 'groups' | 'disabled'> & { prefixes: readonly string[] | null }
>;

interface Row {
  name: string;
  display_name: string;
  role: Role;
  prefixes: string | null;
  groups: string;
  disabled: number;
  subject: string | null;
  created: string;
  updated: string;
}

export class UserStore {
  readonly db: Database.Database;

  constructor(file: string) {
    // Created owner-only before SQLite opens it: it holds password hashes.
    if (file !== ':memory:') closeSync(openSync(file, 'a', 0o600));
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS users (
      name TEXT PRIMARY KEY, display_name TEXT NOT NULL, password_hash TEXT, role TEXT NOT NULL,
      prefixes TEXT, groups TEXT NOT NULL DEFAULT '[]', disabled INTEGER NOT NULL DEFAULT 0,
      subject TEXT UNIQUE, created TEXT NOT NULL, updated TEXT NOT NULL)`);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as Row[]).map(toUser);
  }

  get(name: string): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as Row | undefined;
    return row === undefined ? undefined : toUser(row);
  }

  bySubject(subject: string): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE subject = ?').get(subject) as Row | undefined;
    return row === undefined ? undefined : toUser(row);
  }

  passwordHash(name: string): string | undefined {
    const row = this.db.prepare('SELECT password_hash FROM users WHERE name = ?').get(name) as
      { password_hash: string | null } | undefined;
    return row?.password_hash ?? undefined;
  }

  add(user: NewUser): User {
    const now = new Date().toISOString();
    try {
      this.db
        .prepare(
          `INSERT INTO users (name, display_name, password_hash, role, prefixes, groups, subject, created, updated)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          user.name,
          user.displayName ?? user.name,
          user.passwordHash ?? null,
          user.role,
          user.prefixes === undefined ? null : JSON.stringify(user.prefixes),
          JSON.stringify(user.groups ?? []),
          user.subject ?? null,
          now,
          now,
        );
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new ConflictError('IMV_USER_EXISTS', `A user named "${user.name}" exists`, { cause: error });
      }
      throw error;
    }
    return this.get(user.name)!;
  }

  update(name: string, changes: UserChanges): User {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown): void => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (changes.displayName !== undefined) set('display_name', changes.displayName);
    if (changes.role !== undefined) set('role', changes.role);
    if (changes.prefixes !== undefined)
      set('prefixes', changes.prefixes === null ? null : JSON.stringify(changes.prefixes));
    if (changes.groups !== undefined) set('groups', JSON.stringify(changes.groups));
    if (changes.disabled !== undefined) set('disabled', changes.disabled ? 1 : 0);
    set('updated', new Date().toISOString());
    const { changes: count } = this.db
      .prepare(`UPDATE users SET ${sets.join(', ')} WHERE name = ?`)
      .run(...values, name);
    if (count === 0) throw new NotFoundError('IMV_USER_NOT_FOUND', `No user named "${name}"`);
    return this.get(name)!;
  }

  setPasswordHash(name: string, hash: string): void {
    const { changes } = this.db
      .prepare('UPDATE users SET password_hash = ?, updated = ? WHERE name = ?')
      .run(hash, new Date().toISOString(), name);
    if (changes === 0) throw new NotFoundError('IMV_USER_NOT_FOUND', `No user named "${name}"`);
  }

  remove(name: string): void {
    const { changes } = this.db.prepare('DELETE FROM users WHERE name = ?').run(name);
    if (changes === 0) throw new NotFoundError('IMV_USER_NOT_FOUND', `No user named "${name}"`);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toUser(row: Row): User {
  return {
    name: row.name,
    displayName: row.display_name,
    role: row.role,
    ...(row.prefixes === null ? {} : { prefixes: JSON.parse(row.prefixes) as string[] }),
    groups: JSON.parse(row.groups) as string[],
    disabled: row.disabled === 1,
    ...(row.subject === null ? {} : { subject: row.subject }),
    created: row.created,
    updated: row.updated,
  };
}
