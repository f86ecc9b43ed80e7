// Where collaborative documents live between restarts: each room's Yjs updates appended to SQLite as
// they happen (an edit acknowledged to its author survives kill -9), folded into one on load.
import Database from 'better-sqlite3';
import { mergeUpdates } from 'yjs';

/** Past this many stored updates a room is folded into one update when it is next loaded. */
const COMPACT_AFTER = 200;

export class CollabStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, Buffer]>;
  private readonly select: Database.Statement<[string], { update: Buffer }>;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS room_updates (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      room TEXT NOT NULL,
      "update" BLOB NOT NULL
    );
    CREATE INDEX IF NOT EXISTS room_updates_room ON room_updates (room, seq);`);
    this.insert = this.db.prepare('INSERT INTO room_updates (room, "update") VALUES (?, ?)');
    this.select = this.db.prepare('SELECT "update" FROM room_updates WHERE room = ? ORDER BY seq');
  }

  append(room: string, update: Uint8Array): void {
    this.insert.run(room, Buffer.from(update.buffer, update.byteOffset, update.byteLength));
  }

  /** Replaces the room's stored updates by its whole state, in one transaction. */
  replace(room: string, state: Uint8Array): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM room_updates WHERE room = ?').run(room);
      this.append(room, state);
    })();
  }

  /** The room's whole state as one update (empty when the room is new). */
  load(room: string): Uint8Array | undefined {
    const rows = this.select.all(room);
    if (rows.length === 0) return undefined;
    const merged = mergeUpdates(rows.map((row) => new Uint8Array(row.update)));
    if (rows.length > COMPACT_AFTER) this.replace(room, merged);
    return merged;
  }

  rooms(): string[] {
    return this.db
      .prepare<[], { room: string }>('SELECT DISTINCT room FROM room_updates ORDER BY room')
      .all()
      .map((row) => row.room);
  }

  close(): void {
    this.db.close();
  }
}
