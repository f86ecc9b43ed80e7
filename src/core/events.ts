// Builds CloudEvents-shaped envelopes for everything that changes.
import { randomUUID } from 'node:crypto';
import type { EventType, ImverseEvent } from './wire.js';

export const EVENT_SOURCE = '/imverse';

export function makeEvent<D>(
  type: EventType,
  data: D,
  options: { subject?: string; twinmodel?: string; time?: string } = {},
): ImverseEvent<D> {
  const event: ImverseEvent<D> = {
    specversion: '1.0',
    id: randomUUID(),
    source: EVENT_SOURCE,
    type,
    time: options.time ?? new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  };
  if (options.subject !== undefined) event.subject = options.subject;
  if (options.twinmodel !== undefined) event.twinmodel = options.twinmodel;
  return event;
}
