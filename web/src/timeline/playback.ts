// The timeline's clock and the changes loaded ahead of it, without DOM or network, so Node tests
// can drive them (test/world-timeline-playback.test.ts).
import type { Change } from '../../../src/core/wire-timeline.js';
import { translator, type Locale, type Translate } from '../i18n/core.js';
import { WORLD_MESSAGES, type WorldKey } from '../i18n/world.js';

const ENGLISH = translator(WORLD_MESSAGES, 'en');

/** Replay speeds offered, in plant seconds per real second. */
export const SPEEDS = [1, 2, 5, 10, 25, 50, 100] as const;
/** What a replay paints: colours by state, and AGVs where they were. */
export const REPLAY_FIELDS = ['state', 'position.x', 'position.y'] as const;
/** The longest window one changes request may cover (the server's MAX_CHANGES_WINDOW_MS). */
const MAX_CHUNK_MS = 86_400_000;

/** Plant time to ask for in one request at a speed: about 20 s of playback, at least a minute. */
export function chunkMs(speed: number): number {
  return Math.min(MAX_CHUNK_MS, Math.max(60_000, speed * 20_000));
}

/** Plant time the loaded changes should reach beyond the clock before playback needs them (5 s of playback). */
export function lookaheadMs(speed: number): number {
  return Math.max(10_000, speed * 5_000);
}

/**
 * Changes loaded ahead of the replay clock, oldest first. `loadedUntil` is exclusive: every change
 * before it is here (or was taken), none at or after it is known yet.
 */
export class ChangeBuffer {
  private changes: Change[] = [];
  private next = 0;
  private until: number;

  /** `start` is the time whose state is on screen: changes after it are loaded next. */
  constructor(readonly start: number) {
    this.until = start + 1;
  }

  get loadedUntil(): number {
    return this.until;
  }

  /** Changes loaded and not yet taken. */
  get pending(): number {
    return this.changes.length - this.next;
  }

  /** A page of changes, complete before `until`; pages arrive in time order. Earlier ones are ignored. */
  add(page: readonly Change[], until: number): void {
    const last = this.changes.at(-1)?.time ?? this.start;
    for (const change of page) if (change.time > this.start && change.time >= last) this.changes.push(change);
    this.until = Math.max(this.until, until);
  }

  /** The changes up to and including `time` not taken yet, in order. */
  take(time: number): Change[] {
    const from = this.next;
    while (this.next < this.changes.length && this.changes[this.next]!.time <= time) this.next++;
    const taken = this.changes.slice(from, this.next);
    // Drop what was painted now and then, so a long replay does not hold every change it showed.
    if (this.next > 4096) {
      this.changes = this.changes.slice(this.next);
      this.next = 0;
    }
    return taken;
  }
}

/**
 * Where the clock goes after `realMs` of playback at `speed`: forward, but never past what is loaded
 * (it waits there for the next chunk) nor past `end` (the present).
 */
export function advance(
  time: number,
  realMs: number,
  speed: number,
  loadedUntil: number,
  end: number,
): number {
  const wanted = time + Math.max(0, realMs) * speed;
  return Math.max(time, Math.min(wanted, loadedUntil - 1, end));
}

const pad = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The clock time of a moment in local time: 10:42:13. */
export function clockText(time: number): string {
  const d = new Date(time);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** How long before `now` a moment was, in words: "just now", "42 s ago", "3 h 12 min ago", "2 d 4 h ago". */
export function agoText(time: number, now: number, t: Translate<WorldKey> = ENGLISH): string {
  const s = Math.round((now - time) / 1000);
  if (s < 2) return t('ago.now');
  if (s < 60) return t('ago.s', { s });
  const min = Math.floor(s / 60);
  if (min < 60) return t('ago.min', { min, s: s % 60 });
  const h = Math.floor(min / 60);
  if (h < 24) return t('ago.h', { h, min: min % 60 });
  return t('ago.d', { d: Math.floor(h / 24), h: h % 24 });
}

/** A moment in words for the strip: "Wed 25 Nov 10:42:13 (3 h 12 min ago)". */
export function timeInWords(
  time: number,
  now: number,
  t: Translate<WorldKey> = ENGLISH,
  locale: Locale = 'en',
): string {
  const d = new Date(time);
  const day =
    locale === 'en'
      ? `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]}`
      : new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', weekday: 'short' }).format(d);
  return t('timeline.at', { date: `${day} ${clockText(time)}`, ago: agoText(time, now, t) });
}
