// Bearer tokens: only their SHA-256 digests are stored, so a copy of the file grants nothing.
import Database from 'better-sqlite3';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { NotFoundError } from '../../core/errors.js';
import type { Principal, Role } from './roles.js';

export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** Identifier prefixes (tenants) the token is limited to; every prefix when absent. */
  readonly prefixes?: readonly string[];
  readonly created: string;
}

const TOKEN_PREFIX = 'imv_';

export class TokenStore {
  private readonly db: Database.Database;
  private readonly cache = new Map<string, Principal | null>();

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS tokens (
      id TEXT PRIMARY KEY, digest BLOB NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL, created TEXT NOT NULL,
      prefixes TEXT)`);
  }

  hasRole(role: Role): boolean {
    return this.db.prepare('SELECT 1 FROM tokens WHERE role = ? LIMIT 1').get(role) !== undefined;
  }

  /** Creates a token; the secret is returned once and never stored. */
  create(name: string, role: Role, prefixes?: readonly string[]): { token: string; info: TokenInfo } {
    const id = randomBytes(6).toString('hex');
    const token = `${TOKEN_PREFIX}${id}_${randomBytes(24).toString('base64url')}`;
    const scope = prefixes === undefined ? undefined : prefixes.map((prefix) => prefix.toUpperCase());
    const info: TokenInfo = {
      id,
      name,
      role,
      ...(scope ? { prefixes: scope } : {}),
      created: new Date().toISOString(),
    };
    this.db
      .prepare('INSERT INTO tokens (id, digest, name, role, created, prefixes) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, digest(token), name, role, info.created, scope === undefined ? null : JSON.stringify(scope));
    return { token, info };
  }

  list(): TokenInfo[] {
    const rows = this.db
      .prepare('SELECT id, name, role, created, prefixes FROM tokens ORDER BY created')
      .all() as Array<Omit<TokenInfo, 'prefixes'> & { prefixes: string | null }>;
    return rows.map(({ prefixes, ...info }) =>
      prefixes === null ? info : { ...info, prefixes: JSON.parse(prefixes) as string[] },
    );
  }

  revoke(id: string): void {
    const { changes } = this.db.prepare('DELETE FROM tokens WHERE id = ?').run(id);
    if (changes === 0) throw new NotFoundError('IMV_TOKEN_NOT_FOUND', `No token ${id}`);
    this.cache.clear();
  }

  /** The principal a presented token stands for, or undefined. */
  authenticate(token: string): Principal | undefined {
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached ?? undefined;
    const presented = digest(token);
    const row = this.db
      .prepare('SELECT id, digest, name, role, prefixes FROM tokens WHERE digest = ?')
      .get(presented) as
      { id: string; digest: Buffer; name: string; role: Role; prefixes: string | null } | undefined;
    const principal: Principal | undefined =
      row !== undefined && timingSafeEqual(row.digest, presented)
        ? {
            name: row.name,
            role: row.role,
            via: 'token',
            credential: `token:${row.id}`,
            ...(row.prefixes === null ? {} : { prefixes: JSON.parse(row.prefixes) as string[] }),
          }
        : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, principal ?? null);
    return principal;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
