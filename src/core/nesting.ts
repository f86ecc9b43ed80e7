// How deeply a JSON or YAML text nests, read with one cheap scan before any parser or recursive
// walker sees it: a document nested deeper than the stack makes those throw RangeError (and
// V8 can even abort the process when a regular expression is compiled that close to the limit).

/** Nesting that real documents never reach; deeper input is refused, not parsed. */
export const DEFAULT_MAX_NESTING = 64;

/**
 * Why `text`, as JSON, nests deeper than `maxDepth` arrays and objects, or undefined. Brackets inside
 * strings do not count; the text need not be valid JSON (the parser reports that).
 */
export function jsonNestingProblem(text: string, maxDepth: number): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = endOfString(text, i);
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return tooDeep(maxDepth, i);
    } else if ((c === 0x5d /* ] */ || c === 0x7d) /* } */ && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/**
 * The same for YAML: flow collections (`[`, `{`) and block nesting, bounded by the indentation and the
 * `- `, `? `, `: ` indicators that open a line (`- - - x` nests three sequences in one line). Every
 * bracket counts, quoted or in a comment: telling YAML's scalars apart takes a parser, and
 * overcounting only refuses a file with dozens of unclosed brackets in its text, never admits a deep one.
 */
export function yamlNestingProblem(text: string, maxDepth: number): string | undefined {
  let flow = 0;
  let lineStart = true;
  let lead = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a /* \n */) {
      lineStart = true;
      lead = 0;
      continue;
    }
    if (lineStart) {
      // Each block level takes at least one more character of indentation or one more indicator.
      if (c === 0x20 || c === 0x09 || c === 0x2d /* - */ || c === 0x3f /* ? */ || c === 0x3a /* : */) {
        if (++lead > maxDepth * BLOCK_COLUMNS_PER_LEVEL) return tooDeep(maxDepth, i);
        continue;
      }
      lineStart = false;
    }
    if (c === 0x5b || c === 0x7b) {
      if (++flow > maxDepth) return tooDeep(maxDepth, i);
    } else if ((c === 0x5d || c === 0x7d) && flow > 0) flow--;
  }
  return undefined;
}

/** A block level takes at least two columns (`- `, `? ` or an indent of two): a wider lead cannot be shallower. */
const BLOCK_COLUMNS_PER_LEVEL = 2;

const tooDeep = (maxDepth: number, at: number): string =>
  `nests deeper than ${maxDepth} levels (at character ${at + 1})`;

/** The index of the quote closing the JSON string opened at `start` (or the text's end). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return text.length;
}
