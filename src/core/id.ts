// Handle-style identifiers (RFC 3650/3651): PREFIX/SUFFIX, e.g. 88.100.1/line-2/press-07.
// The prefix is a naming authority owned by one enterprise (tenant); like the Handle System we
// treat it case-insensitively and normalise it to upper case. The suffix is case-sensitive and is
// stored in Unicode NFC, so two spellings that look the same are one identifier; characters that
// make two identifiers look alike, or look like a path they are not, are refused.
import { ValidationError } from './errors.js';

export interface Identifier {
  readonly prefix: string;
  readonly suffix: string;
}

const MAX_LENGTH = 512;
const PREFIX_SEGMENT = /^[A-Za-z0-9_-]+$/;
// Whitespace, controls and the characters that are unsafe in URLs and queries.
const SUFFIX_FORBIDDEN = /[\s\p{Cc}"<>\\^`{|}?#%]/u;
// Bidirectional controls reorder what a person reads (Trojan Source, CVE-2021-42574).
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// Format characters (zero-width space, joiners, soft hyphen …), fillers that render as nothing,
// and unpaired surrogates: two identifiers differing only in these look the same.
const INVISIBLE = /[\p{Cf}\p{Cs}\u034F\u115F\u1160\u3164\uFFA0]/u;
// Characters drawn like "/", "\" or "." that are not them; anything whose compatibility form holds
// one of those (fullwidth solidus, one-dot leader, "…") is caught by NFKC below as well.
const LOOKALIKE = /[\u2044\u2215\u2216\u29F5\u29F8\u29F9\u2024\u2027\uFE52\uFE68\uFF0E\uFF0F\uFF3C\uFF61]/u;
const PATH_SYNTAX = /[/.\\]/;
const NOT_PRINTABLE_ASCII = /[^ -~]/; // anything but printable ASCII (controls are refused by SUFFIX_FORBIDDEN anyway)
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;

// The common all-ASCII spelling, checked in one pass before the detailed rules (bulk imports
// validate millions of identifiers); a suffix segment may not be "." or "..".
const PLAIN =
  /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\/(?!\.\.?(?:\/|$))[A-Za-z0-9_.~:@+=,;!$&'()*-]+(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9_.~:@+=,;!$&'()*-]+)*$/;

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
  const problem = suffixProblem(suffix);
  if (problem !== undefined || !NOT_PRINTABLE_ASCII.test(suffix)) return problem;
  return unicodeProblem(suffix) ?? composedProblem(suffix, text.length - suffix.length);
}

function suffixProblem(suffix: string): string | undefined {
  if (SUFFIX_FORBIDDEN.test(suffix))
    return `suffix "${suffix}" contains whitespace or one of " < > \\ ^ \` { | } ? # %`;
  if (suffix.startsWith('/') || suffix.endsWith('/') || suffix.includes('//')) {
    return `suffix "${suffix}" has an empty path segment`;
  }
  if (DOT_SEGMENT.test(suffix)) return `suffix "${suffix}" has a "." or ".." path segment`;
  return undefined;
}

/** The rules for the characters beyond ASCII. */
function unicodeProblem(suffix: string): string | undefined {
  const bidi = BIDI_CONTROL.exec(suffix);
  if (bidi) {
    return `suffix contains the bidirectional control ${codePoint(bidi[0])}, which reorders what people read`;
  }
  const invisible = INVISIBLE.exec(suffix);
  if (invisible) return `suffix contains the invisible character ${codePoint(invisible[0])}`;
  for (const char of suffix) {
    if (char.charCodeAt(0) < 0x80) continue;
    if (LOOKALIKE.test(char) || PATH_SYNTAX.test(char.normalize('NFKC'))) {
      return `suffix contains ${codePoint(char)}, which looks like "/", "\\" or "." but is not; use the ASCII character`;
    }
  }
  return undefined;
}

/** The stored (NFC) spelling must pass the same rules: composing can yield an ASCII character. */
function composedProblem(suffix: string, prefixLength: number): string | undefined {
  const composed = suffix.normalize('NFC');
  if (composed === suffix) return undefined;
  if (prefixLength + composed.length > MAX_LENGTH) {
    return `identifier is longer than ${MAX_LENGTH} characters in Unicode NFC`;
  }
  return suffixProblem(composed);
}

/** The text with controls and invisible characters spelled as code points, safe to show in a message. */
const visible = (text: string): string =>
  text.replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, (char) => `<${codePoint(char)}>`);

const codePoint = (char: string): string =>
  `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

export function isIdentifier(text: string): boolean {
  return identifierProblem(text) === undefined;
}

/** Parses and validates; throws IMV_ID_MALFORMED with the reason. */
export function parseIdentifier(text: string, path = ''): Identifier {
  const problem = identifierProblem(text);
  if (problem !== undefined) {
    throw new ValidationError(
      'IMV_ID_MALFORMED',
      `Malformed identifier "${visible(String(text))}": ${problem}`,
      {
        path,
      },
    );
  }
  const slash = text.indexOf('/');
  const suffix = text.slice(slash + 1);
  return {
    prefix: text.slice(0, slash).toUpperCase(),
    suffix: NOT_PRINTABLE_ASCII.test(suffix) ? suffix.normalize('NFC') : suffix,
  };
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
