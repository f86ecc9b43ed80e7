// The JSON-LD @context of a DTDL element: which DTDL version applies and which language extensions.
import { dtmiProblem, parseDtmi } from '../dtmi.js';

export const QUANTITATIVE_TYPES_V1 = 'dtmi:dtdl:extension:quantitativeTypes;1';

/**
 * Extensions we recognise. QuantitativeTypes is enforced; for the others we know the context but do
 * not check their own rules, so an element using their co-types is treated as "informally co-typed"
 * (extra members allowed), as the spec does for a contextually incomplete model.
 */
const KNOWN_EXTENSIONS: Readonly<Record<string, 2 | 3>> = {
  [QUANTITATIVE_TYPES_V1]: 3,
  'dtmi:dtdl:extension:historization;1': 3,
  'dtmi:dtdl:extension:annotation;1': 3,
  'dtmi:dtdl:extension:overriding;1': 3,
  'dtmi:dtdl:extension:streaming;1': 3,
  'dtmi:dtdl:extension:mqtt;1': 3,
  'dtmi:iotcentral:context;2': 2,
};

/** DTDL v2 lets the IoT Central context precede the DTDL context (permitted, though discouraged). */
const IOT_CENTRAL_V2 = 'dtmi:iotcentral:context;2';

function onlyIotCentralBefore(values: readonly string[], index: number): boolean {
  return values.slice(0, index).every((v) => v === IOT_CENTRAL_V2);
}

export interface ActiveContext {
  readonly version: 2 | 3;
  /** Extension contexts, by de-versioned value → full DTMI. */
  readonly extensions: ReadonlyMap<string, string>;
}

export interface ContextOptions {
  /** Accept extension contexts we do not know (the spec's AllowUndefinedExtensions); default false. */
  readonly allowUndefinedExtensions?: boolean;
}

export function hasQuantitativeTypes(ctx: ActiveContext): boolean {
  return ctx.extensions.get('dtmi:dtdl:extension:quantitativeTypes') === QUANTITATIVE_TYPES_V1;
}

/** True when an extension is active whose co-types and members we do not check. */
export function hasUncheckedExtension(ctx: ActiveContext): boolean {
  for (const full of ctx.extensions.values()) if (full !== QUANTITATIVE_TYPES_V1) return true;
  return false;
}

/**
 * Reads an @context member and merges it into the parent's active context.
 * Returns undefined (with issues) when the element's DTDL version cannot be determined.
 * `v2InV3` says whether a DTDL v2 element may stand here inside a v3 one: only where v3 accepts
 * a v2 class too (a schema, a content, a Relationship property, an Interface), not for the parts
 * v3 redefined (CommandRequest/Response, Field, MapKey/Value, EnumValue, an entry of `schemas`).
 */
export function readContext(
  value: unknown,
  parent: ActiveContext | undefined,
  path: string,
  options: ContextOptions,
  report: (path: string, rule: string, message: string) => void,
  v2InV3 = true,
): ActiveContext | undefined {
  const values = Array.isArray(value) ? value : [value];
  // An empty array is an array of strings: it adds nothing to the parent's context (a top-level
  // element still fails below, for lack of the DTDL context).
  if (!values.every((v): v is string => typeof v === 'string')) {
    report(path, 'context-type', '@context must be a string or an array of strings');
    return parent;
  }
  let version = parent?.version;
  let sawVersionHere = false;
  let sawExtension = false;
  const extensions = new Map(parent?.extensions ?? []);
  values.forEach((text, i) => {
    const at = Array.isArray(value) ? `${path}/${i}` : path;
    const problem = dtmiProblem(text, 3);
    const dtmi = problem === undefined ? parseDtmi(text, 3) : undefined;
    if (dtmi === undefined || dtmi.major === undefined) {
      report(
        at,
        'context-dtmi',
        `context "${text}" must be a DTMI with a version${problem ? `: ${problem}` : ''}`,
      );
      return;
    }
    if (dtmi.unversioned === 'dtmi:dtdl:context') {
      if (dtmi.major !== 2 && dtmi.major !== 3) {
        report(
          at,
          'context-dtdl-version',
          `DTDL version ${dtmi.major} is not supported; use "dtmi:dtdl:context;3" or "dtmi:dtdl:context;2"`,
        );
        return;
      }
      if (sawExtension && !(dtmi.major === 2 && onlyIotCentralBefore(values, i))) {
        report(at, 'context-dtdl-first', 'the DTDL context must precede any extension context in @context');
      }
      version = dtmi.major;
      sawVersionHere = true;
      return;
    }
    sawExtension = true;
    const known = KNOWN_EXTENSIONS[text];
    if (known === undefined && options.allowUndefinedExtensions !== true) {
      report(
        at,
        'context-extension-unknown',
        `extension context "${text}" is not known, so the model is contextually incomplete and is rejected (the registry option allowUndefinedExtensions accepts it); known extensions: ${Object.keys(KNOWN_EXTENSIONS).join(', ')}`,
      );
      return;
    }
    extensions.set(dtmi.unversioned, text);
  });
  if (version === undefined) {
    if (!sawVersionHere)
      report(
        path,
        'context-dtdl-missing',
        '@context must include "dtmi:dtdl:context;3" or "dtmi:dtdl:context;2"',
      );
    return undefined;
  }
  if (parent?.version === 2 && version === 3) {
    // DTDL v3 elements may contain v2 ones, not the reverse: v2 defines no v3 element.
    report(path, 'context-version-nesting', 'a DTDL v3 element cannot be nested inside a DTDL v2 element');
    return undefined;
  }
  if (parent?.version === 3 && version === 2 && !v2InV3) {
    report(
      path,
      'context-version-nesting',
      'here a DTDL v3 element cannot switch to DTDL v2 (allowed only for a schema, a content, a Relationship property or an Interface)',
    );
    return undefined;
  }
  for (const [key, full] of extensions) {
    const v = KNOWN_EXTENSIONS[full];
    if (v !== undefined && v !== version) {
      report(path, 'context-extension-version', `extension "${full}" is for DTDL v${v}, not v${version}`);
      extensions.delete(key);
    }
  }
  return { version, extensions };
}
