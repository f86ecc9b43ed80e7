// JSON Schemas shared by the routes (request validation and the OpenAPI document).
export const idParam = {
  type: 'object',
  properties: { id: { type: 'string', description: 'Twin identifier PREFIX/SUFFIX, percent-encoded' } },
  required: ['id'],
} as const;

export const pageQuery = {
  pageSize: { type: 'integer', minimum: 1, maximum: 1000, description: 'Items per page (default 100)' },
  continuationToken: { type: 'string', description: 'From the previous page' },
} as const;

export const anyObject = { type: 'object', additionalProperties: true } as const;

export const pageOf = (description: string) =>
  ({
    type: 'object',
    description,
    properties: {
      value: { type: 'array', items: {} },
      continuationToken: { type: ['string', 'null'] },
    },
  }) as const;

export const preconditionHeaders = {
  type: 'object',
  properties: {
    'if-match': { type: 'string', description: 'ETag (W/"n") the resource must still have' },
    'if-none-match': { type: 'string', description: '"*": create only, never replace' },
  },
} as const;

/** If-Match / If-None-Match as the twin graph takes them. */
export function preconditions(headers: Record<string, unknown>): { ifMatch?: string; ifNoneMatch?: string } {
  const result: { ifMatch?: string; ifNoneMatch?: string } = {};
  if (typeof headers['if-match'] === 'string') result.ifMatch = headers['if-match'];
  if (typeof headers['if-none-match'] === 'string') result.ifNoneMatch = headers['if-none-match'];
  return result;
}
