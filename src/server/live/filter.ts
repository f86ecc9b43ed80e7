// Which live subscriptions an event matches. Pure: the gateway resolves models and subtrees.
import type { EventType, ImverseEvent } from '../../core/wire.js';

export interface ResolvedFilter {
  readonly twins?: ReadonlySet<string>;
  /** The requested models and every model extending them. */
  readonly models?: ReadonlySet<string>;
  /** The subtree root and everything it contains, as last computed. */
  readonly subtree?: ReadonlySet<string>;
  readonly types?: ReadonlySet<EventType>;
}

export function matches(event: ImverseEvent, filter: ResolvedFilter): boolean {
  if (filter.types !== undefined && !filter.types.has(event.type)) return false;
  const subject = subjectsOf(event);
  if (filter.twins !== undefined && !subject.some((id) => filter.twins!.has(id))) return false;
  if (filter.subtree !== undefined && !subject.some((id) => filter.subtree!.has(id))) return false;
  if (filter.models !== undefined && (event.twinmodel === undefined || !filter.models.has(event.twinmodel)))
    return false;
  return true;
}

/** The twins an event is about: its subject, and for relationships the target too. */
function subjectsOf(event: ImverseEvent): string[] {
  const ids: string[] = [];
  if (event.subject !== undefined) ids.push(event.subject);
  const target = (event.data as { $targetId?: unknown } | null)?.$targetId;
  if (typeof target === 'string') ids.push(target);
  return ids;
}
