// Opaque continuation tokens for paged listings and queries.
import { ValidationError } from '../core/errors.js';

export interface Continuation {
  /** What is being paged: the query text, or a listing's key. */
  readonly key: string;
  readonly offset: number;
  readonly pageSize: number;
}

export function encodeContinuation(continuation: Continuation): string {
  return Buffer.from(JSON.stringify([continuation.key, continuation.offset, continuation.pageSize])).toString(
    'base64url',
  );
}

export function decodeContinuation(token: string): Continuation {
  try {
    const [key, offset, pageSize] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof key === 'string' && Number.isSafeInteger(offset) && Number.isSafeInteger(pageSize)) {
      return { key, offset: offset as number, pageSize: pageSize as number };
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError(
    'IMV_CONTINUATION_INVALID',
    'The continuation token is not one this server issued',
    {
      path: '/continuationToken',
    },
  );
}
