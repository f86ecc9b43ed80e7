import { describe, expect, it } from 'vitest';
import { ImverseError } from '../core/errors.js';
import { fromFrameworkError, toProblem } from './problem.js';

describe('problem mapping', () => {
  it('turns a busy store into a retryable 503', () => {
    const mapped = fromFrameworkError(
      Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
    );
    expect(mapped).toMatchObject({ code: 'IMV_UNAVAILABLE', status: 503 });
  });

  it('names the field of a schema violation as a JSON Pointer', () => {
    const mapped = fromFrameworkError({
      validation: [
        {
          instancePath: '',
          params: { missingProperty: 'name' },
          message: "must have required property 'name'",
        },
      ],
      validationContext: 'body',
    });
    expect(mapped).toMatchObject({ code: 'IMV_REQUEST_INVALID', path: '/name' });
    const query = fromFrameworkError({
      validation: [{ instancePath: '/pageSize', message: 'must be >= 1' }],
      validationContext: 'querystring',
    });
    expect(query.path).toBe('/query/pageSize');
  });

  it('hides the details of internal errors', () => {
    const mapped = fromFrameworkError(new TypeError('secret stack detail'));
    const problem = toProblem(mapped, '/requests/r1');
    expect(problem).toMatchObject({
      status: 500,
      code: 'IMV_INTERNAL',
      detail: 'Internal error',
      instance: '/requests/r1',
    });
    expect(JSON.stringify(problem)).not.toContain('secret');
  });

  it('keeps our own errors as they are', () => {
    const error = new ImverseError('IMV_TWIN_NOT_FOUND', 'Twin P/x not found');
    expect(fromFrameworkError(error)).toBe(error);
  });
});
