// Text that users write (models, plant files, mappings, sources, uploads) often starts with a
// UTF-8 byte-order mark: Windows editors and many ontology tools save it. RFC 8259 §8.1 lets a
// parser ignore it, and YAML 1.2 does too, so every reader of a user's file drops it first
// (files on disk: src/server/user-files.ts).
const BOM = '\uFEFF';

/** The text without a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/** Parses a user's JSON text, ignoring a byte-order mark as RFC 8259 allows. */
export function parseUserJson(text: string): unknown {
  return JSON.parse(stripBom(text)) as unknown;
}
