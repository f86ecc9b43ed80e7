// The resolved shape of a DTDL model, as the rest of the platform sees it.

/** Primitive schemas of DTDL v2 and v3. */
export const PRIMITIVE_TYPES = [
  'boolean',
  'date',
  'dateTime',
  'double',
  'duration',
  'float',
  'integer',
  'long',
  'string',
  'time',
] as const;
/** Primitive schemas added by DTDL v4; not valid in v2/v3 documents but understood by validateValue. */
export const V4_PRIMITIVE_TYPES = [
  'byte',
  'bytes',
  'decimal',
  'short',
  'uuid',
  'unsignedByte',
  'unsignedShort',
  'unsignedInteger',
  'unsignedLong',
  'scaledDecimal',
] as const;
export const GEOSPATIAL_TYPES = [
  'point',
  'multiPoint',
  'lineString',
  'multiLineString',
  'polygon',
  'multiPolygon',
] as const;

export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number] | (typeof V4_PRIMITIVE_TYPES)[number];
export type GeospatialType = (typeof GEOSPATIAL_TYPES)[number];
export type LocalizedString = string | Readonly<Record<string, string>>;

export interface FieldInfo {
  readonly name: string;
  readonly schema: Schema;
  readonly semanticTypes: readonly string[];
  readonly unit?: string;
  readonly displayName?: LocalizedString;
  readonly description?: LocalizedString;
}

export interface EnumValueInfo {
  readonly name: string;
  readonly value: string | number;
  readonly displayName?: LocalizedString;
}

export type Schema =
  | { readonly kind: 'primitive'; readonly type: PrimitiveType }
  | { readonly kind: 'geospatial'; readonly type: GeospatialType }
  | { readonly kind: 'object'; readonly id?: string; readonly fields: readonly FieldInfo[] }
  | { readonly kind: 'array'; readonly id?: string; readonly element: Schema }
  | {
      readonly kind: 'map';
      readonly id?: string;
      readonly key: { readonly name: string };
      readonly value: Schema;
      readonly valueName: string;
    }
  | {
      readonly kind: 'enum';
      readonly id?: string;
      readonly valueType: 'integer' | 'string';
      readonly values: readonly EnumValueInfo[];
    };

interface ContentBase {
  readonly name: string;
  /** The Interface that declares this content (differs from the model for inherited contents). */
  readonly definedIn: string;
  readonly id?: string;
  readonly displayName?: LocalizedString;
  readonly description?: LocalizedString;
  /** Every @type value besides the DTDL class (semantic types, extension and undefined co-types). */
  readonly coTypes: readonly string[];
}

export interface PropertyInfo extends ContentBase {
  readonly kind: 'Property';
  readonly schema: Schema;
  readonly writable: boolean;
  readonly unit?: string;
  /** Recognised semantic types (v2 built in; v3 with the QuantitativeTypes extension). */
  readonly semanticTypes: readonly string[];
}

export interface TelemetryInfo extends ContentBase {
  readonly kind: 'Telemetry';
  readonly schema: Schema;
  readonly unit?: string;
  readonly semanticTypes: readonly string[];
}

export interface CommandPayloadInfo {
  readonly name: string;
  readonly schema: Schema;
  readonly nullable?: boolean;
}

export interface CommandInfo extends ContentBase {
  readonly kind: 'Command';
  readonly request?: CommandPayloadInfo;
  readonly response?: CommandPayloadInfo;
}

export interface RelationshipInfo extends ContentBase {
  readonly kind: 'Relationship';
  readonly target?: string;
  readonly minMultiplicity?: number;
  readonly maxMultiplicity?: number;
  readonly properties: ReadonlyMap<string, PropertyInfo>;
  readonly writable: boolean;
}

export interface ComponentInfo extends ContentBase {
  readonly kind: 'Component';
  /** DTMI of the component's Interface. */
  readonly schema: string;
}

export type ContentInfo = PropertyInfo | TelemetryInfo | CommandInfo | RelationshipInfo | ComponentInfo;

export interface ModelInfo {
  readonly id: string;
  readonly dtdlVersion: 2 | 3;
  readonly displayName?: LocalizedString;
  readonly description?: LocalizedString;
  readonly comment?: string;
  /** Direct bases. */
  readonly extends: readonly string[];
  /** All bases, transitively, nearest first. */
  readonly ancestors: readonly string[];
  readonly properties: ReadonlyMap<string, PropertyInfo>;
  readonly telemetry: ReadonlyMap<string, TelemetryInfo>;
  readonly commands: ReadonlyMap<string, CommandInfo>;
  readonly relationships: ReadonlyMap<string, RelationshipInfo>;
  readonly components: ReadonlyMap<string, ComponentInfo>;
  /** Extension contexts in the Interface's @context (e.g. dtmi:dtdl:extension:quantitativeTypes;1). */
  readonly extensions: readonly string[];
  /** The source (file name) the Interface came from, when given. */
  readonly source?: string;
  /** The original document as uploaded (for an Interface defined inline: the inline object). */
  readonly document: unknown;
}
