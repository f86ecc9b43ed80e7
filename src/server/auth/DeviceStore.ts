// Device credentials for the embedded MQTT broker: an id (the MQTT username), a secret (the password,
// stored only as a SHA-256 digest) and the topic filters the device may publish to.
import Database from 'better-sqlite3';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';

/**
 * What a device id may be. It never contains "/", the separator of a device's own MQTT client ids
 * (src/ingest/mqtt/authorize.ts), so one device's client ids can never be another's.
 */
export const DEVICE_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface DeviceInfo {
  readonly id: string;
  /** MQTT topic filters (+ and # allowed) the device may publish to. */
  readonly topics: readonly string[];
  readonly created: string;
}

export class DeviceStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS devices (
      id TEXT PRIMARY KEY, digest BLOB NOT NULL, topics TEXT NOT NULL, created TEXT NOT NULL)`);
  }

  /** Registers a device; its secret is returned once and never stored. */
  create(id: string, topics: readonly string[]): { secret: string; info: DeviceInfo } {
    if (!DEVICE_ID.test(id)) {
      throw new ValidationError(
        'IMV_REQUEST_INVALID',
        `Device id "${id.slice(0, 140)}" must be 1–128 letters, digits, "_", ".", ":" or "-"`,
        { path: '/id' },
      );
    }
    const secret = randomBytes(24).toString('base64url');
    const info: DeviceInfo = { id, topics: [...topics], created: new Date().toISOString() };
    try {
      this.db
        .prepare('INSERT INTO devices (id, digest, topics, created) VALUES (?, ?, ?, ?)')
        .run(id, digest(secret), JSON.stringify(info.topics), info.created);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new ConflictError('IMV_REQUEST_INVALID', `Device ${id} already exists`, {
          path: '/id',
          cause: error,
        });
      }
      throw error;
    }
    return { secret, info };
  }

  list(): DeviceInfo[] {
    const rows = this.db.prepare('SELECT id, topics, created FROM devices ORDER BY id').all() as Array<{
      id: string;
      topics: string;
      created: string;
    }>;
    return rows.map((row) => ({ ...row, topics: JSON.parse(row.topics) as string[] }));
  }

  remove(id: string): void {
    if (this.db.prepare('DELETE FROM devices WHERE id = ?').run(id).changes === 0) {
      throw new NotFoundError('IMV_ROUTE_NOT_FOUND', `No device ${id}`);
    }
  }

  /** A registered device by id, for a device that proved who it is otherwise (a client certificate). */
  find(id: string): DeviceInfo | undefined {
    const row = this.db.prepare('SELECT id, topics, created FROM devices WHERE id = ?').get(id) as
      { id: string; topics: string; created: string } | undefined;
    return row === undefined ? undefined : { ...row, topics: JSON.parse(row.topics) as string[] };
  }

  /** The device a username and password stand for, or undefined. */
  authenticate(id: string, secret: string): DeviceInfo | undefined {
    const row = this.db.prepare('SELECT id, digest, topics, created FROM devices WHERE id = ?').get(id) as
      { id: string; digest: Buffer; topics: string; created: string } | undefined;
    if (row === undefined || !timingSafeEqual(row.digest, digest(secret))) return undefined;
    return { id: row.id, topics: JSON.parse(row.topics) as string[], created: row.created };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
