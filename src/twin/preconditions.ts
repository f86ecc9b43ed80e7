// If-Match / ETag rules shared by twins and relationships (optimistic concurrency).
import { PreconditionFailedError, ValidationError } from '../core/errors.js';
import { versionFromEtag } from './doc.js';

export function versionMismatch(id: string, current: number, expected: number): PreconditionFailedError {
  return new PreconditionFailedError(
    `${id} is at version W/"${current}", not the W/"${expected}" given in If-Match`,
    {
      path: '/If-Match',
    },
  );
}

export /** The version an If-Match demands; the current one when absent or `*`. */
function expectedVersion(ifMatch: string | undefined, current: number): number {
  if (ifMatch === undefined || ifMatch.trim() === '*') return current;
  const version = versionFromEtag(ifMatch);
  if (version === undefined) {
    throw new ValidationError(
      'IMV_REQUEST_INVALID',
      `If-Match ${JSON.stringify(ifMatch)} is not an ETag like W/"3"`,
      {
        path: '/If-Match',
      },
    );
  }
  return version;
}
