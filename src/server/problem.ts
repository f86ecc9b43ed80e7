// Maps every error to an RFC 9457 problem+json body with a stable code.
import { ERROR_CODES, ImverseError, type ErrorCode, type Issue } from '../core/errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  /** JSON Pointer of the part of the request at fault. */
  path?: string;
  issues?: readonly Issue[];
  hint: string;
  instance: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://imverse.dev/errors/';

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
}

/** Turns a framework (fastify) error into ours, so callers see one vocabulary of codes. */
export function fromFrameworkError(error: FrameworkError): ImverseError {
  if (error instanceof ImverseError) return error;
  if (error.validation !== undefined) {
    const issues: Issue[] = error.validation.map((v) => {
      const missing = v.params?.missingProperty;
      const pointer = `${v.instancePath ?? ''}${typeof missing === 'string' ? `/${missing}` : ''}`;
      return {
        path: `${contextPrefix(error.validationContext)}${pointer}`,
        message: v.message ?? 'invalid',
        rule: 'schema',
      };
    });
    const first = issues[0];
    return new ImverseError(
      'IMV_REQUEST_INVALID',
      first ? `${first.path || '/'} ${first.message}` : 'Invalid request',
      {
        issues,
      },
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ImverseError('IMV_REQUEST_INVALID_JSON', error.message ?? 'Invalid JSON', { path: '' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ImverseError('IMV_REQUEST_TOO_LARGE', error.message ?? 'Body too large', { path: '' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ImverseError('IMV_REQUEST_INVALID', `${error.message}; send application/json`, {
        path: '/Content-Type',
      });
  }
  if (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED') {
    // Another process (a bulk import from the CLI, say) holds the store's write lock.
    return new ImverseError('IMV_UNAVAILABLE', 'The twin store is busy with another write; retry shortly', {
      cause: error,
    });
  }
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return new ImverseError('IMV_REQUEST_INVALID_JSON', error.message ?? 'Invalid JSON', { path: '' });
  }
  if (error.statusCode === 413)
    return new ImverseError('IMV_REQUEST_TOO_LARGE', error.message ?? '', { path: '' });
  return new ImverseError('IMV_INTERNAL', 'An internal error occurred', { cause: error });
}

function contextPrefix(context: string | undefined): string {
  switch (context) {
    case 'querystring':
      return '/query';
    case 'params':
      return '/params';
    case 'headers':
      return '/headers';
    default:
      return '';
  }
}

export function toProblem(error: ImverseError, instance: string): Problem {
  const spec = ERROR_CODES[error.code];
  const problem: Problem = {
    type: `${TYPE_BASE}${error.code}`,
    title: spec.title,
    status: spec.status,
    detail: error.code === 'IMV_INTERNAL' ? spec.title : error.message,
    code: error.code,
    hint: spec.hint,
    instance,
  };
  if (error.path !== undefined) problem.path = error.path;
  if (error.issues.length > 0) problem.issues = error.issues;
  return problem;
}
