// Handle-style identifiers (RFC 3650/3651): PREFIX/SUFFIX, e.g. 88.100.1/line-2/press-07.
// The prefix is a naming authority owned by one enterprise (tenant); like the Handle System we
// treat it case-insensitively and normalise it to upper case. The suffix is case-sensitive.
import { ValidationError } from './errors.js';

export interface Identifier {
  readonly prefix: string;
  readonly suffix: string;
}

const MAX_LENGTH = 512;
const PREFIX_SEGMENT = /^[A-Za-z0-9_-]+$/;
// Whitespace, controls and the characters that are unsafe in URLs and queries.
const SUFFIX_FORBIDDEN = /[\s\p{Cc}"<>\\^`{|}?#%]/u;

// The common all-ASCII spelling, checked in one pass before the detailed rules (bulk imports
// validate millions of identifiers).
const PLAIN =
  /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\/[A-Za-z0-9_.~:@+=,;!$&'()*-]+(?:\/[A-Za-z0-9_.~:@+=,;!$&'()*-]+)*$/;

/** Why `text` is not a valid identifier, or undefined when it is. */
export function identifierProblem(text: string): string | undefined {
  if (typeof text === 'string' && text.length <= MAX_LENGTH && PLAIN.test(text)) return undefined;
  if (typeof text !== 'string' || text.length === 0) return 'identifier is empty';
  if (text.length > MAX_LENGTH) return `identifier is longer than ${MAX_LENGTH} characters`;
  const slash = text.indexOf('/');
  if (slash < 0) return 'identifier has no "/" between prefix and suffix';
  const prefix = text.slice(0, slash);
  const suffix = text.slice(slash + 1);
  if (prefix.length === 0) return 'prefix is empty';
  for (const segment of prefix.split('.')) {
    if (!PREFIX_SEGMENT.test(segment)) {
      return `prefix "${prefix}" must be dot-separated segments of letters, digits, "-" or "_"`;
    }
  }
  if (suffix.length === 0) return 'suffix is empty';
  if (SUFFIX_FORBIDDEN.test(suffix))
    return `suffix "${suffix}" contains whitespace or one of " < > \\ ^ \` { | } ? # %`;
  if (suffix.startsWith('/') || suffix.endsWith('/') || suffix.includes('//')) {
    return `suffix "${suffix}" has an empty path segment`;
  }
  return undefined;
}

export function isIdentifier(text: string): boolean {
  return identifierProblem(text) === undefined;
}

/** Parses and validates; throws IMV_ID_MALFORMED with the reason. */
export function parseIdentifier(text: string, path = ''): Identifier {
  const problem = identifierProblem(text);
  if (problem !== undefined) {
    throw new ValidationError('IMV_ID_MALFORMED', `Malformed identifier "${String(text)}": ${problem}`, {
      path,
    });
  }
  const slash = text.indexOf('/');
  return { prefix: text.slice(0, slash).toUpperCase(), suffix: text.slice(slash + 1) };
}

export function formatIdentifier(id: Identifier): string {
  return `${id.prefix}/${id.suffix}`;
}

/** The canonical spelling, under which the identifier is stored and compared. */
export function normalizeIdentifier(text: string, path = ''): string {
  return formatIdentifier(parseIdentifier(text, path));
}

/** Joins a prefix and a relative suffix, e.g. ("88.100.1", "line-2/press-07"). */
export function joinIdentifier(prefix: string, suffix: string, path = ''): string {
  return normalizeIdentifier(`${prefix}/${suffix}`, path);
}

export function prefixOf(text: string): string {
  return parseIdentifier(text).prefix;
}
