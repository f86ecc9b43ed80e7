// The $metadata of twins: per-field lastUpdateTime and the source's own sourceTime.
import type { TwinDoc } from '../core/wire.js';
import type { PatchOperation } from './patch.js';
import type { TwinDraft } from './store.js';

/** Metadata of a new twin: every field updated now, keeping a sourceTime the caller gave. */
export function stampNew(
  model: string,
  content: Record<string, unknown>,
  given: Record<string, unknown> | undefined,
  time: string,
): TwinDraft['$metadata'] {
  const metadata: TwinDraft['$metadata'] = { $model: model, $lastUpdateTime: time };
  for (const field of Object.keys(content)) {
    const sourceTime = (given?.[field] as { sourceTime?: unknown } | undefined)?.sourceTime;
    metadata[field] =
      typeof sourceTime === 'string' ? { lastUpdateTime: time, sourceTime } : { lastUpdateTime: time };
  }
  return metadata;
}

/** Carries metadata over a patch: changed fields get a new lastUpdateTime, removed ones lose theirs. */
export function restamp(
  before: TwinDoc,
  after: TwinDoc,
  content: Record<string, unknown>,
  time: string,
): TwinDraft {
  const metadata: TwinDoc['$metadata'] = { ...after.$metadata, $lastUpdateTime: time };
  for (const field of Object.keys(metadata)) {
    if (!field.startsWith('$') && !(field in content)) delete metadata[field];
  }
  for (const field of Object.keys(content)) {
    const previous = before.$metadata[field];
    const patchedMeta = after.$metadata[field];
    const changed = JSON.stringify(before[field]) !== JSON.stringify(after[field]);
    const sourceTimeChanged = JSON.stringify(previous) !== JSON.stringify(patchedMeta);
    if (changed || sourceTimeChanged || previous === undefined) {
      const sourceTime = typeof patchedMeta === 'object' ? patchedMeta.sourceTime : undefined;
      metadata[field] =
        sourceTime === undefined || (changed && !sourceTimeChanged)
          ? { lastUpdateTime: time }
          : { lastUpdateTime: time, sourceTime };
    }
  }
  const { $etag: _etag, ...rest } = after;
  return { ...rest, $metadata: metadata } as TwinDraft;
}

/** Adds empty $metadata entries for fields a patch sets a sourceTime on, so a field and its
 *  sourceTime can be added in one patch. */
export function withMetadataSlots(doc: TwinDoc, operations: readonly PatchOperation[]): TwinDoc {
  const missing = operations
    .map((op) => /^\/\$metadata\/([^/]+)\/sourceTime$/.exec(op.path)?.[1])
    .filter((field): field is string => field !== undefined && doc.$metadata[field] === undefined);
  if (missing.length === 0) return doc;
  const metadata = { ...doc.$metadata };
  for (const field of missing) metadata[field] = { lastUpdateTime: '' };
  return { ...doc, $metadata: metadata };
}
