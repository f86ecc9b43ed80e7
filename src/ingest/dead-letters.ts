// The dead-letter port: every refused device message or point is kept (bounded) for people to inspect.

export interface NewDeadLetter {
  readonly source: string;
  readonly code: string;
  readonly reason: string;
  readonly topic?: string;
  /**
   * The twin the refused point names, when the refusal came after a point was decoded: a tenant
   * sees the letters of its own twins. Letters without one (an unmapped topic, a malformed
   * message) are for platform operators only.
   */
  readonly twin?: string;
  /** The message (or the refused point) as received; binary payloads are kept as base64. */
  readonly payload: string | Uint8Array;
}

export interface DeadLetter {
  readonly id: number;
  /** When it was refused (ISO 8601). */
  readonly time: string;
  readonly source: string;
  readonly code: string;
  readonly reason: string;
  readonly topic?: string;
  readonly twin?: string;
  readonly payload: string;
  readonly encoding: 'utf8' | 'base64';
}

export interface DeadLetterQuery {
  readonly source?: string;
  readonly code?: string;
  /** Only letters with an id below this one: for paging back in time. */
  readonly before?: number;
  /**
   * Only letters whose twin lies under one of these identifier prefixes (a tenant's view); letters
   * without a twin are left out. Absent: every letter. Applied in the store, so pages stay full.
   */
  readonly prefixes?: readonly string[];
  readonly limit: number;
}

export interface DeadLetterStore {
  add(letters: readonly NewDeadLetter[]): void;
  /** Newest first. */
  list(query: DeadLetterQuery): DeadLetter[];
  close(): void;
}

/** Payloads larger than this are cut: the letter says what was wrong, not a full archive. */
export const MAX_DEAD_LETTER_PAYLOAD = 4096;
