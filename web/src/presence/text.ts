// Small wording helpers shared by the presence panels, pins and note card.
import { locale } from '../i18n/world-page.js';

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "14:05" today, "24 Nov 14:05" on another day: when a note was written, in the viewer's time zone. */
export function noteTime(ms: number, now = Date.now()): string {
  const when = new Date(ms);
  const time = when.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return when.toDateString() === new Date(now).toDateString()
    ? time
    : `${when.toLocaleDateString(locale, { day: 'numeric', month: 'short' })} ${time}`;
}
