// A live event as a caller whose policies hide some fields may see it: twin documents, patches and
// telemetry values without those fields. Events naming no hidden field pass unchanged.
import { withoutFields } from '../../twin/doc.js';
import type { FieldRules } from '../../twin/TenantScope.js';
import {
  EVENT_TYPES,
  type ImverseEvent,
  type TwinDoc,
  type TwinTelemetryData,
  type TwinUpdatedData,
} from '../../core/wire.js';

/** The event without hidden fields, or undefined when nothing of it is left to show. */
export function hideFields(event: ImverseEvent, rules: FieldRules): ImverseEvent | undefined {
  if (event.subject === undefined) return event;
  const hidden = rules.hidden(event.subject);
  if (hidden.length === 0) return event;
  const isHidden = (path: string) => hidden.includes(path.split('/')[1] ?? '');
  switch (event.type) {
    case EVENT_TYPES.twinCreated:
    case EVENT_TYPES.twinDeleted:
      return { ...event, data: withoutFields(event.data as Record<string, unknown>, hidden) };
    case EVENT_TYPES.twinUpdated: {
      const data = event.data as TwinUpdatedData;
      const patch = data.patch.filter(
        (op) => !isHidden(op.path) && !(op.from !== undefined && isHidden(op.from)),
      );
      if (data.patch.length > 0 && patch.length === 0) return undefined;
      const twin = withoutFields(
        data.twin as unknown as Record<string, unknown>,
        hidden,
      ) as unknown as TwinDoc;
      return { ...event, data: { twin, patch } satisfies TwinUpdatedData };
    }
    case EVENT_TYPES.twinTelemetry: {
      const data = event.data as TwinTelemetryData;
      const values = data.values.filter((value) => !hidden.includes(value.field));
      return values.length === 0 ? undefined : { ...event, data: { ...data, values } };
    }
    default:
      return event;
  }
}
