// JSON-LD value objects: a literal member may be written {"@value": 5, "@type": "xsd:integer"}
// instead of 5. DTDL v3 allows only @value and @type (or @language in a localizable string) in one;
// DTDL v2 also tolerates other keywords (discouraged), but never @id, @context or @graph, which
// would make the object a node instead of a value.

export type LiteralKind = 'string' | 'integer' | 'boolean';

const NODE_KEYWORDS = new Set(['@id', '@context', '@graph']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `key` may appear in a value object besides the ones the spec names. */
export function isTolerableKeyword(key: string, version: 2 | 3): boolean {
  return version === 2 && key.startsWith('@') && !NODE_KEYWORDS.has(key);
}

function hasKind(value: unknown, kind: LiteralKind): boolean {
  if (kind === 'string') return typeof value === 'string';
  if (kind === 'boolean') return typeof value === 'boolean';
  // DTDL integers are 4 bytes.
  return Number.isInteger(value) && Math.abs(value as number) <= 2147483647;
}

/** An XSD datatype named as a compact IRI or in full; an array may hold it once. */
function typeNames(type: unknown, kind: LiteralKind): boolean {
  const one = Array.isArray(type) && type.length === 1 ? (type[0] as unknown) : type;
  return one === `xsd:${kind}` || one === `http://www.w3.org/2001/XMLSchema#${kind}`;
}

/** The literal a member value stands for: the value itself, or the @value of a value object. */
export function literal(
  value: unknown,
  kind: LiteralKind,
  version: 2 | 3,
): { ok: true; value: unknown } | { ok: false } {
  if (hasKind(value, kind)) return { ok: true, value };
  if (!isObject(value) || !('@value' in value)) return { ok: false };
  const keysOk = Object.keys(value).every(
    (k) => k === '@value' || k === '@type' || isTolerableKeyword(k, version),
  );
  const typeOk = value['@type'] === undefined || typeNames(value['@type'], kind);
  return keysOk && typeOk && hasKind(value['@value'], kind)
    ? { ok: true, value: value['@value'] }
    : { ok: false };
}
