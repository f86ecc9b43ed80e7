// The numeric limits of DTDL v2 and v3 (DTDL.Specification.v2/v3 "Limits and exclusions" and the
// per-member constraints). v3 replaced most per-set limits by a total element count.

export interface DtdlLimits {
  /** Max length of a `name`. */
  readonly name: number;
  readonly displayName: number;
  readonly description: number;
  readonly comment: number;
  /** Max values of one Interface's `extends` member (v2 only). */
  readonly extendsPerInterface: number;
  /** Max Interfaces in the whole extends hierarchy (v3 only). */
  readonly extendsTotal: number;
  /** Max `extends` members in any path. */
  readonly extendsDepth: number;
  /** Max contents of an Interface, including inherited ones (v2). */
  readonly contents: number;
  /** Max elements in the contents hierarchy, including inherited ones (v3). */
  readonly elements: number;
  /** Max `schema`/`elementSchema` members in a path down from a complex schema (the last one included). */
  readonly complexSchemaDepth: number;
  readonly enumValuesMin: number;
  readonly enumValuesMax: number;
  readonly fieldsMin: number;
  readonly fieldsMax: number;
  readonly relationshipProperties: number;
  readonly maxMultiplicity: number;
}

const INF = Number.POSITIVE_INFINITY;

export const LIMITS: Readonly<Record<2 | 3, DtdlLimits>> = {
  2: {
    name: 64,
    displayName: 64,
    description: 512,
    comment: 512,
    extendsPerInterface: 2,
    extendsTotal: INF,
    extendsDepth: 10,
    contents: 300,
    elements: INF,
    complexSchemaDepth: 5,
    enumValuesMin: 1,
    enumValuesMax: 100,
    fieldsMin: 1,
    fieldsMax: 30,
    relationshipProperties: 300,
    maxMultiplicity: 500,
  },
  3: {
    name: 512,
    displayName: 512,
    description: 512,
    comment: 512,
    extendsPerInterface: INF,
    extendsTotal: 1024,
    extendsDepth: 10,
    contents: INF,
    elements: 100_000,
    complexSchemaDepth: 5,
    enumValuesMin: 0,
    enumValuesMax: INF,
    fieldsMin: 0,
    fieldsMax: INF,
    relationshipProperties: INF,
    maxMultiplicity: INF,
  },
};

/** A content, field, enum value or map value `name`. */
export const NAME_PATTERN = /^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?$/;
/** Language tags allowed as keys of a localizable string. */
export const LANGUAGE_TAG = /^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/;
