// Digital Twin Model Identifiers (DTMI): syntax and versioning rules of DTDL v2 and v3.
// v2: `dtmi:seg(:seg)*;N` — the version is required and has one part.
// v3: the version is optional and may have a minor part (`;N` or `;N.M`).

export type DtdlVersion = 2 | 3;

export interface Dtmi {
  /** The identifier as written. */
  readonly text: string;
  readonly segments: readonly string[];
  /** Major version; undefined when the DTMI has no version (v3 only). */
  readonly major: number | undefined;
  readonly minor: number | undefined;
  /** The identifier without `;version` (the spec's "de-versioned" value). */
  readonly unversioned: string;
}

/** Max length of any DTMI a model may contain (a "user DTMI"). */
export const MAX_DTMI_LENGTH = 2048;
/** Max length of the @id of an Interface. */
export const MAX_INTERFACE_DTMI_LENGTH = 128;
export const RESERVED_DTMI_PREFIXES: readonly string[] = ['dtmi:dtdl:', 'dtmi:standard:'];

// A user segment: starts with a letter, letters/digits/underscores, does not end with "_".
const SEGMENT = '[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?';
const V2 = new RegExp(`^dtmi:(${SEGMENT}(?::${SEGMENT})*);([1-9][0-9]{0,8})$`);
const V3 = new RegExp(`^dtmi:(${SEGMENT}(?::${SEGMENT})*)(?:;([1-9][0-9]{0,8})(?:\\.([1-9][0-9]{0,5}))?)?$`);

/** Why `text` is not a valid DTMI under the rules of `version`, or undefined when it is. */
export function dtmiProblem(text: unknown, version: DtdlVersion = 3): string | undefined {
  if (typeof text !== 'string') return 'a DTMI must be a string';
  if (!text.startsWith('dtmi:')) return `"${clip(text)}" does not start with "dtmi:"`;
  if (text.length > MAX_DTMI_LENGTH) return `DTMI is longer than ${MAX_DTMI_LENGTH} characters`;
  if ((version === 2 ? V2 : V3).test(text)) return undefined;
  const semi = text.indexOf(';');
  const path = semi < 0 ? text.slice(5) : text.slice(5, semi);
  for (const segment of path.split(':')) {
    if (segment.length === 0) return `"${clip(text)}" has an empty path segment`;
    if (segment.startsWith('_'))
      return `"${clip(text)}" has a system segment "${segment}" (starting with "_"), not allowed in models`;
    if (!new RegExp(`^${SEGMENT}$`).test(segment)) {
      return `segment "${clip(segment)}" of "${clip(text)}" must start with a letter, contain only letters, digits and "_", and not end with "_"`;
    }
  }
  if (semi < 0) return `"${clip(text)}" has no version; DTDL v2 requires ";N"`;
  const ver = text.slice(semi + 1);
  if (version === 2) {
    if (ver.includes('.'))
      return `"${clip(text)}" has a two-part version; DTDL v2 allows only an integer version (1-999999999)`;
    return `version "${clip(ver)}" must be an integer 1-999999999 without leading zeros`;
  }
  return `version "${clip(ver)}" must be N or N.M (N: 1-9 digits, M: 1-6 digits, no leading zeros)`;
}

export function isDtmi(text: unknown, version: DtdlVersion = 3): text is string {
  return dtmiProblem(text, version) === undefined;
}

/** Parses a DTMI; undefined when invalid under the rules of `version`. */
export function parseDtmi(text: string, version: DtdlVersion = 3): Dtmi | undefined {
  const m = (version === 2 ? V2 : V3).exec(text);
  if (m === null || text.length > MAX_DTMI_LENGTH) return undefined;
  const path = m[1] ?? '';
  const major = m[2] === undefined ? undefined : Number(m[2]);
  const minor = version === 3 && m[3] !== undefined ? Number(m[3]) : undefined;
  return { text, segments: path.split(':'), major, minor, unversioned: `dtmi:${path}` };
}

/** Why `text` cannot be the @id of an Interface, or undefined. */
export function interfaceIdProblem(text: unknown, version: DtdlVersion): string | undefined {
  const problem = dtmiProblem(text, version);
  if (problem !== undefined) return problem;
  const id = text as string;
  if (id.length > MAX_INTERFACE_DTMI_LENGTH)
    return `an Interface @id is limited to ${MAX_INTERFACE_DTMI_LENGTH} characters (has ${id.length})`;
  return reservedPrefixProblem(id);
}

export function reservedPrefixProblem(id: string): string | undefined {
  const prefix = RESERVED_DTMI_PREFIXES.find((p) => id.startsWith(p));
  return prefix === undefined
    ? undefined
    : `"${clip(id)}" uses the prefix "${prefix}", which is reserved by DTDL`;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
