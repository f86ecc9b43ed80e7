// Terms of the DTDL language itself (the spec's "Reserved strings"): class names, member names,
// schema and enum-instance terms, units. An element may not be co-typed with one of them, and an
// informally co-typed element may not carry a member so named, unless an extension defines it.
import { V2_SEMANTIC_TYPES } from './semantic-types.js';

const w = (s: string): string[] => s.split(/\s+/).filter((x) => x.length > 0);

const MEMBER_TERMS = w(`
  comment commandType contents description displayName elementSchema enumValue enumValues extends
  fields mapKey mapValue maxMultiplicity minMultiplicity name properties request response schema
  schemas target unit valueSchema writable`);

const SCHEMA_TERMS = w(`
  boolean date dateTime double duration float integer long string time
  lineString multiLineString multiPoint multiPolygon point polygon
  synchronous asynchronous`);

const UNIT_PREFIXES = w(`
  yocto zepto atto femto pico nano micro milli centi deci deca hecto kilo mega giga tera peta exa
  zetta yotta kibi mebi gibi tebi pebi exbi zebi yobi`);

const RESERVED: ReadonlySet<string> = new Set([
  ...MEMBER_TERMS,
  ...SCHEMA_TERMS,
  ...UNIT_PREFIXES,
  ...V2_SEMANTIC_TYPES.allUnits,
]);

/** True when `term` (no ":" in it) is a DTDL member, schema, instance or unit term. */
export function isReservedTerm(term: string): boolean {
  return RESERVED.has(term);
}
