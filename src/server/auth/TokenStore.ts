// Bearer tokens: only their SHA-256 digests are stored, so a copy of the file grants nothing.
import Database from 'better-sqlite3';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { NotFoundError } from '../../core/errors.js';
import type { Principal, Role } from './roles.js';
import { LEGACY_ROLES } from '../../access/roles.js';

export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** Identifier prefixes (tenants) the token is limited to; every prefix when absent. */
  readonly prefixes?: readonly string[];
  readonly created: string;
  /** When it stops being valid; never when absent. */
  readonly expires?: string;
  /** When it last authenticated a request, to within a minute; absent if never. */
  readonly lastUsed?: string;
}

const TOKEN_PREFIX = 'imv_';
/** What create() makes: imv_, the id (12 hex digits), _, then 24 random bytes in base64url. */
const TOKEN_SHAPE = /^imv_[0-9a-f]{12}_[\w-]{32}$/;
/** Valid tokens remembered, so most requests need neither a digest nor a query. */
const CACHE_LIMIT = 10_000;
/**
 * How often a token in use is looked up again: its last-used time is written (at most this often,
 * so reads stay fast), and a revocation or expiry made by another process (the CLI) takes effect.
 */
const RECHECK_MS = 60_000;

interface TokenRow {
  id: string;
  digest: Buffer;
  name: string;
  role: Role;
  prefixes: string | null;
  expires: string | null;
  last_used: string | null;
}

interface CachedToken {
  readonly id: string;
  readonly principal: Principal;
  /** Milliseconds since 1970; Infinity for a token that does not expire. */
  readonly expiresAt: number;
  /** When the row was last read. */
  readonly checkedAt: number;
}

export class TokenStore {
  private readonly db: Database.Database;
  /**
   * Keyed by the presented secret, and holding valid tokens only: a request with a made-up token
   * never adds to it, so sending random tokens cannot grow memory.
   */
  private readonly cache = new Map<string, CachedToken>();
  private readonly byDigest: Database.Statement<[Buffer], TokenRow>;
  private readonly recordUse: Database.Statement<[string, string]>;

  constructor(
    file: string,
    private readonly cacheLimit = CACHE_LIMIT,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS tokens (
      id TEXT PRIMARY KEY, digest BLOB NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL, created TEXT NOT NULL,
      prefixes TEXT, expires TEXT, last_used TEXT)`);
    // Files from before expiry and last-used times: the columns are added, empty (never, never).
    const columns = new Set(
      (this.db.prepare('PRAGMA table_info(tokens)').all() as Array<{ name: string }>).map((c) => c.name),
    );
    for (const column of ['expires', 'last_used']) {
      if (!columns.has(column)) this.db.exec(`ALTER TABLE tokens ADD COLUMN ${column} TEXT`);
    }
    // Tokens from before policies carry the old role names: rename them once.
    for (const [legacy, role] of Object.entries(LEGACY_ROLES)) {
      this.db.prepare('UPDATE tokens SET role = ? WHERE role = ?').run(role, legacy);
    }
    this.byDigest = this.db.prepare(
      'SELECT id, digest, name, role, prefixes, expires, last_used FROM tokens WHERE digest = ?',
    );
    this.recordUse = this.db.prepare('UPDATE tokens SET last_used = ? WHERE id = ?');
  }

  hasRole(role: Role): boolean {
    return this.db.prepare('SELECT 1 FROM tokens WHERE role = ? LIMIT 1').get(role) !== undefined;
  }

  /** Creates a token; the secret is returned once and never stored. */
  create(
    name: string,
    role: Role,
    prefixes?: readonly string[],
    expires?: Date,
  ): { token: string; info: TokenInfo } {
    const id = randomBytes(6).toString('hex');
    const token = `${TOKEN_PREFIX}${id}_${randomBytes(24).toString('base64url')}`;
    const scope = prefixes === undefined ? undefined : prefixes.map((prefix) => prefix.toUpperCase());
    const info: TokenInfo = {
      id,
      name,
      role,
      ...(scope ? { prefixes: scope } : {}),
      created: new Date().toISOString(),
      ...(expires === undefined ? {} : { expires: expires.toISOString() }),
    };
    this.db
      .prepare(
        'INSERT INTO tokens (id, digest, name, role, created, prefixes, expires) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        digest(token),
        name,
        role,
        info.created,
        scope === undefined ? null : JSON.stringify(scope),
        info.expires ?? null,
      );
    return { token, info };
  }

  list(): TokenInfo[] {
    const rows = this.db
      .prepare('SELECT id, name, role, created, prefixes, expires, last_used FROM tokens ORDER BY created')
      .all() as Array<Omit<TokenRow, 'digest'> & { created: string }>;
    return rows.map(({ prefixes, expires, last_used, ...info }) => ({
      ...info,
      ...(prefixes === null ? {} : { prefixes: JSON.parse(prefixes) as string[] }),
      ...(expires === null ? {} : { expires }),
      ...(last_used === null ? {} : { lastUsed: last_used }),
    }));
  }

  revoke(id: string): void {
    const { changes } = this.db.prepare('DELETE FROM tokens WHERE id = ?').run(id);
    if (changes === 0) throw new NotFoundError('IMV_TOKEN_NOT_FOUND', `No token ${id}`);
    for (const [secret, cached] of this.cache) if (cached.id === id) this.cache.delete(secret);
  }

  /** The principal a presented token stands for, or undefined (unknown, revoked or expired). */
  authenticate(token: string, now = Date.now()): Principal | undefined {
    const cached = this.cache.get(token);
    if (cached !== undefined) {
      if (now < cached.expiresAt && now - cached.checkedAt < RECHECK_MS) return cached.principal;
      this.cache.delete(token);
    }
    // Not one of ours: no digest, no query.
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const presented = digest(token);
    const row = this.byDigest.get(presented);
    if (row === undefined || !timingSafeEqual(row.digest, presented)) return undefined;
    const expiresAt = row.expires === null ? Infinity : Date.parse(row.expires);
    if (now >= expiresAt) return undefined;
    this.noteUse(row, now);
    const principal: Principal = {
      name: row.name,
      role: row.role,
      via: 'token',
      credential: `token:${row.id}`,
      ...(row.prefixes === null ? {} : { prefixes: JSON.parse(row.prefixes) as string[] }),
    };
    // Oldest first out: only holders of valid tokens can fill it, so there is nothing to game.
    if (this.cache.size >= this.cacheLimit) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(token, { id: row.id, principal, expiresAt, checkedAt: now });
    return principal;
  }

  /** How many valid tokens are remembered (never more than the limit, whatever is presented). */
  get cached(): number {
    return this.cache.size;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private noteUse(row: TokenRow, now: number): void {
    if (row.last_used !== null && now - Date.parse(row.last_used) < RECHECK_MS) return;
    try {
      this.recordUse.run(new Date(now).toISOString(), row.id);
    } catch {
      // The file is busy (another process writing): the time is advisory, the request goes on.
    }
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
