// RFC 6902 JSON Patch on twin and relationship documents, with the rules of the twin API:
// system fields ($dtId, $etag, $metadata…) cannot be patched, except a field's sourceTime.
import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { ValidationError } from '../core/errors.js';

export type PatchOperation = Operation;

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const SOURCE_TIME = /^\/\$metadata\/[^/$][^/]*\/sourceTime$/;

/** Checks the patch's shape; throws IMV_TWIN_PATCH_INVALID naming the operation at fault. */
export function checkPatch(patch: unknown, allowSourceTime: boolean): PatchOperation[] {
  if (!Array.isArray(patch)) {
    throw new ValidationError('IMV_TWIN_PATCH_INVALID', 'A JSON Patch must be an array of operations', {
      path: '',
    });
  }
  patch.forEach((op: unknown, index) => {
    const at = `/${index}`;
    if (typeof op !== 'object' || op === null || Array.isArray(op)) {
      throw new ValidationError('IMV_TWIN_PATCH_INVALID', `Operation ${index} is not an object`, {
        path: at,
      });
    }
    const { op: name, path, from } = op as Record<string, unknown>;
    if (typeof name !== 'string' || !OPS.has(name)) {
      throw new ValidationError(
        'IMV_TWIN_PATCH_INVALID',
        `Operation ${index} has an unknown "op" ${JSON.stringify(name)}`,
        {
          path: `${at}/op`,
        },
      );
    }
    for (const [key, pointer] of [
      ['path', path],
      ['from', from],
    ] as const) {
      if (key === 'from' && pointer === undefined && name !== 'move' && name !== 'copy') continue;
      if (typeof pointer !== 'string' || !pointer.startsWith('/')) {
        throw new ValidationError(
          'IMV_TWIN_PATCH_INVALID',
          `Operation ${index} needs a JSON Pointer "${key}"`,
          {
            path: `${at}/${key}`,
          },
        );
      }
      const system = pointer.startsWith('/$');
      if (system && !(allowSourceTime && key === 'path' && SOURCE_TIME.test(pointer))) {
        throw new ValidationError(
          'IMV_TWIN_PATCH_INVALID',
          `Operation ${index} may not change system field ${pointer}`,
          {
            path: `${at}/${key}`,
          },
        );
      }
    }
    if ((name === 'add' || name === 'replace' || name === 'test') && !('value' in (op as object))) {
      throw new ValidationError('IMV_TWIN_PATCH_INVALID', `Operation ${index} (${name}) needs a "value"`, {
        path: `${at}/value`,
      });
    }
  });
  return patch as PatchOperation[];
}

/** Applies the patch to a copy of `doc`; throws IMV_TWIN_PATCH_INVALID when an operation cannot apply. */
export function applyPatch<T extends object>(doc: T, patch: readonly PatchOperation[]): T {
  try {
    return jsonPatch.applyPatch(doc, patch as Operation[], true, false).newDocument;
  } catch (error) {
    const index = (error as { index?: number }).index;
    const reason = (error as { name?: string }).name ?? 'PATCH_FAILED';
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ValidationError(
      'IMV_TWIN_PATCH_INVALID',
      `Operation ${index ?? '?'} cannot be applied (${reason}): ${message}`,
      { path: index === undefined ? '' : `/${index}`, cause: error },
    );
  }
}
