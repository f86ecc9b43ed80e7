// SQL fragments that carry their positional parameters, so text and parameters cannot drift apart.
import { ValidationError } from '../../core/errors.js';
import { lineColumn } from './lexer.js';

export type Param = string | number | null;

export interface Sql {
  readonly text: string;
  readonly params: readonly Param[];
}

export function sql(text: string, ...params: Param[]): Sql {
  return { text, params };
}

export function join(parts: readonly Sql[], separator: string): Sql {
  return { text: parts.map((p) => p.text).join(separator), params: parts.flatMap((p) => p.params) };
}

/** Concatenates fragments and plain text in order. */
export function concat(...parts: ReadonlyArray<Sql | string>): Sql {
  return join(
    parts.map((p) => (typeof p === 'string' ? sql(p) : p)),
    '',
  );
}

export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

export const TRUE = sql('1');
export const FALSE = sql('0');
/** ADT's "undefined": neither true nor false, so NOT keeps it undefined and WHERE drops the row. */
export const UNDEFINED = sql('NULL');

export function unsupported(text: string, offset: number, message: string): ValidationError {
  return new ValidationError(
    'IMV_QUERY_UNSUPPORTED',
    `Unsupported at ${lineColumn(text, offset)}: ${message}`,
    {
      path: `@${offset}`,
    },
  );
}

/** A SQLite JSON path naming an object member at each step: $."a"."b". */
export function jsonPath(segments: readonly string[], text: string, offset: number): string {
  for (const segment of segments) {
    if (segment.includes('"'))
      throw unsupported(text, offset, `property names containing " cannot be queried (${segment})`);
  }
  return '$' + segments.map((s) => `."${s}"`).join('');
}
