// The CloudEvents a twin change publishes, with the subject and model that live filters use.
import { makeEvent } from '../core/events.js';
import type { EventType, ImverseEvent, RelationshipDoc, TwinDoc } from '../core/wire.js';

export function twinEvent(type: EventType, doc: TwinDoc, data: unknown): ImverseEvent {
  return makeEvent(type, data, { subject: doc.$dtId, twinmodel: doc.$metadata.$model });
}

export function relationshipEvent(type: EventType, rel: RelationshipDoc, sourceModel?: string): ImverseEvent {
  return makeEvent(type, rel, {
    subject: rel.$sourceId,
    ...(sourceModel === undefined ? {} : { twinmodel: sourceModel }),
  });
}
