// Reading one DTDL element: its @type, its members (in term or DTMI form), @id and literal values.
import type { Issue } from '../../core/errors.js';
import { dtmiProblem, interfaceIdProblem, reservedPrefixProblem } from '../dtmi.js';
import type { LocalizedString } from '../types.js';
import {
  hasQuantitativeTypes,
  hasUncheckedExtension,
  type ActiveContext,
  type ContextOptions,
} from './context.js';
import { LANGUAGE_TAG, LIMITS, type DtdlLimits } from './limits.js';
import { isReservedTerm } from './reserved.js';
import { QT1_SEMANTIC_TYPES, V2_SEMANTIC_TYPES, semanticTerm, type SemanticTable } from './semantic-types.js';
import { isTolerableKeyword, literal } from './value-object.js';

export type Json = Record<string, unknown>;

/** State shared while parsing one document. */
export interface DocumentScope {
  readonly file: string | undefined;
  readonly issues: Issue[];
  readonly options: ContextOptions;
  /** Every @id seen in the batch, to enforce uniqueness; `node` is the object that declared it. */
  readonly ids: Map<string, { file: string | undefined; path: string; node?: object }>;
}

/** Where an element sits: document state, its active context and the Interface's elements by @id. */
export interface Scope {
  readonly doc: DocumentScope;
  readonly ctx: ActiveContext;
  readonly elements: ReadonlyMap<string, Json>;
}

export function report(scope: Scope | DocumentScope, path: string, rule: string, message: string): void {
  const doc = 'doc' in scope ? scope.doc : scope;
  doc.issues.push(doc.file === undefined ? { path, rule, message } : { file: doc.file, path, rule, message });
}

export function limitsOf(scope: Scope): DtdlLimits {
  return LIMITS[scope.ctx.version];
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pointer(base: string, token: string | number): string {
  return `${base}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Class terms of the core language: an element may not be co-typed with another one of these. */
const CORE_CLASSES = new Set(
  (
    'AdjunctType Alias Array Boolean Command CommandPayload CommandRequest CommandResponse CommandType ComplexSchema Component Content ' +
    'Date DateTime Double Duration Entity Enum EnumValue Field Float Integer Interface LatentType Long Map MapKey MapValue NamedEntity ' +
    'NamedLatentType NumericSchema Object PrimitiveSchema Property Relationship Schema SchemaField SemanticType SemanticUnit String ' +
    'Telemetry TemporalSchema Time Unit UnitAttribute'
  ).split(' '),
);

/** Classes that may carry a semantic type: v2 Property/Telemetry; v3 (QuantitativeTypes) also these. */
const V3_SEMANTIC_CLASSES = new Set([
  'Property',
  'Telemetry',
  'CommandRequest',
  'CommandResponse',
  'Field',
  'MapValue',
]);
const V2_SEMANTIC_CLASSES = new Set(['Property', 'Telemetry']);

export interface TypeInfo {
  /** Co-types other than the class itself. */
  readonly coTypes: string[];
  readonly semanticTypes: string[];
  /** The element may carry members the core language does not define. */
  readonly informal: boolean;
}

/** The semantic-type table in force for an element of `cls`, if any. */
export function semanticTableFor(scope: Scope, cls: string): SemanticTable | undefined {
  if (scope.ctx.version === 2) return V2_SEMANTIC_CLASSES.has(cls) ? V2_SEMANTIC_TYPES : undefined;
  return hasQuantitativeTypes(scope.ctx) && V3_SEMANTIC_CLASSES.has(cls) ? QT1_SEMANTIC_TYPES : undefined;
}

/** The DTDL class named by `t` (term or dtmi:dtdl:class:X;v), else undefined. */
export function classTerm(t: string, version: 2 | 3): string | undefined {
  const m = /^dtmi:dtdl:class:([A-Za-z]+);([23])$/.exec(t);
  if (m !== null) return Number(m[2]) === version ? m[1] : undefined;
  return CORE_CLASSES.has(t) ? t : undefined;
}

/** True when an extension in the active context (one we do not check) may define further terms. */
function extensionMayDefine(scope: Scope): boolean {
  return (
    hasUncheckedExtension(scope.ctx) ||
    (scope.doc.options.allowUndefinedExtensions === true && scope.ctx.extensions.size > 0)
  );
}

/** Reads @type; `cls` is the class the element must be (e.g. "Property"). */
export function readTypes(
  obj: Json,
  scope: Scope,
  path: string,
  cls: string,
  required: boolean,
): TypeInfo | undefined {
  const raw = obj['@type'];
  const at = `${path}/@type`;
  if (raw === undefined) {
    if (required) report(scope, path, 'type-required', `@type is required and must include "${cls}"`);
    return required ? undefined : { coTypes: [], semanticTypes: [], informal: false };
  }
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0 || !list.every((t): t is string => typeof t === 'string')) {
    report(scope, at, 'type-string-or-array', '@type must be a string or an array of strings');
    return undefined;
  }
  const v = scope.ctx.version;
  const table = semanticTableFor(scope, cls);
  const lenient = extensionMayDefine(scope);
  let material = false;
  let informal = false;
  const coTypes: string[] = [];
  const semanticTypes: string[] = [];
  for (const t of list) {
    const c = classTerm(t, v);
    if (c === cls) {
      material = true;
      continue;
    }
    coTypes.push(t);
    const sem = semanticTerm(t, 'class');
    if (table?.units.has(sem)) {
      // Naming the same semantic type twice (as a term or a DTMI) is discouraged but valid.
      if (!semanticTypes.includes(sem)) semanticTypes.push(sem);
      continue;
    }
    if (c !== undefined) {
      report(scope, at, 'type-cotype-reserved', `"${t}" is a DTDL class and cannot co-type a ${cls}`);
    } else if (t.startsWith('dtmi:')) {
      const problem = dtmiProblem(t, v);
      if (problem !== undefined)
        report(scope, at, 'type-invalid-dtmi', `@type value "${t}" is not a valid DTMI: ${problem}`);
      else if (lenient) informal = true;
      else
        report(
          scope,
          at,
          'type-undefined',
          `@type value "${t}" is not defined by DTDL v${v} or an extension in @context`,
        );
    } else if (t.includes(':')) {
      if (v === 2) informal = true;
      else report(scope, at, 'type-not-dtmi-nor-term', `@type value "${t}" contains ":" but is not a DTMI`);
    } else if (!lenient && isReservedTerm(t)) {
      report(scope, at, 'type-cotype-reserved', `"${t}" is a DTDL term and cannot co-type a ${cls}`);
    } else if (v === 2 || lenient) {
      informal = true;
    } else {
      const hint = QT1_SEMANTIC_TYPES.units.has(t)
        ? ` "${t}" is a semantic type: in DTDL v3 add "dtmi:dtdl:extension:quantitativeTypes;1" to @context (it applies to ${[...V3_SEMANTIC_CLASSES].join(', ')})`
        : '';
      report(
        scope,
        at,
        'type-undefined',
        `@type value "${t}" is not defined by DTDL v3 or an extension in @context.${hint}`,
      );
    }
  }
  if (!material) {
    report(scope, at, 'type-class', `@type must include "${cls}"`);
    return undefined;
  }
  if (semanticTypes.length > 1) {
    report(
      scope,
      at,
      'semantic-type-multiple',
      `at most one semantic type is allowed (found ${semanticTypes.join(', ')})`,
    );
  }
  return { coTypes, semanticTypes, informal };
}

export interface Member {
  readonly value: unknown;
  readonly path: string;
}

/**
 * Collects the members of an element by term, accepting the DTMI form (dtmi:dtdl:property:schema;2)
 * and reporting members the element may not have.
 */
export function readMembers(
  obj: Json,
  scope: Scope,
  path: string,
  cls: string,
  allowed: readonly string[],
  informal: boolean,
): Map<string, Member> {
  const v = scope.ctx.version;
  const out = new Map<string, Member>();
  for (const [key, value] of Object.entries(obj)) {
    const at = pointer(path, key);
    if (key === '@context' || key === '@id' || key === '@type') continue;
    if (key.startsWith('@')) {
      if (v === 3 || key === '@graph')
        report(scope, at, 'member-keyword', `keyword "${key}" is not allowed on a ${cls}`);
      continue;
    }
    const m = /^dtmi:dtdl:property:([A-Za-z]+);([23])$/.exec(key);
    const term = m !== null && Number(m[2]) === v ? (m[1] as string) : key;
    if (allowed.includes(term)) {
      if (out.has(term)) {
        report(scope, at, 'member-term-and-dtmi', `member "${term}" is given both as a term and as a DTMI`);
        continue;
      }
      out.set(term, { value, path: at });
      continue;
    }
    // An informally co-typed element may carry extra members: in v2 any (the undefined co-type may
    // define them), in v3 (where only an extension makes an element informal) ones named by a term
    // or a well-formed DTMI, as an extension's members are.
    if (informal && (v === 2 || isTermOrDtmi(key, v))) continue;
    if (informal) {
      report(
        scope,
        at,
        key.startsWith('dtmi:') ? 'member-invalid-dtmi' : 'member-undefined',
        `member name "${key}" on a ${cls} must be a term (no ":") or a valid DTMI`,
      );
    } else if (key.startsWith('dtmi:')) {
      const problem = dtmiProblem(key, v);
      report(
        scope,
        at,
        problem ? 'member-invalid-dtmi' : 'member-undefined',
        problem
          ? `member name "${key}" is not a valid DTMI: ${problem}`
          : `member "${key}" is not allowed on a ${cls}`,
      );
    } else {
      report(
        scope,
        at,
        'member-undefined',
        `member "${key}" is not allowed on a ${cls} (allowed: ${allowed.join(', ')})`,
      );
    }
  }
  return out;
}

/** A name an extension could define: a term without ":" or a well-formed DTMI. */
function isTermOrDtmi(key: string, version: 2 | 3): boolean {
  return key.startsWith('dtmi:') ? dtmiProblem(key, version) === undefined : !key.includes(':');
}

/** Unwraps an array that may hold at most (or exactly) one value. */
function single(member: Member, scope: Scope, what: string, exactlyOne: boolean): unknown {
  if (!Array.isArray(member.value)) return member.value;
  if (member.value.length > 1 || (exactlyOne && member.value.length === 0)) {
    report(
      scope,
      member.path,
      'member-single-value',
      `${what} must have ${exactlyOne ? 'exactly' : 'at most'} one value`,
    );
    return undefined;
  }
  return member.value[0];
}

export function readString(
  member: Member | undefined,
  scope: Scope,
  what: string,
  max: number,
  exactlyOne = false,
): string | undefined {
  if (member === undefined) return undefined;
  const raw = single(member, scope, what, exactlyOne);
  if (raw === undefined) return undefined;
  const lit = literal(raw, 'string', scope.ctx.version);
  if (!lit.ok) {
    report(scope, member.path, 'value-string', `${what} must be a string`);
    return undefined;
  }
  const text = lit.value as string;
  if (text.length > max) {
    report(scope, member.path, 'value-length', `${what} is ${text.length} characters; the limit is ${max}`);
    return undefined;
  }
  return text;
}

/**
 * A member whose value is an identifier (a DTMI), such as a Relationship's `target`. Unlike a
 * literal, an identifier is never written as a JSON-LD value object ({"@value": ...}).
 */
export function readIdentifier(member: Member | undefined, scope: Scope, what: string): string | undefined {
  if (member === undefined) return undefined;
  const raw = single(member, scope, what, false);
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') {
    report(scope, member.path, 'value-identifier', `${what} must be a DTMI string`);
    return undefined;
  }
  return raw;
}

export function readBoolean(member: Member | undefined, scope: Scope, what: string): boolean | undefined {
  if (member === undefined) return undefined;
  const raw = single(member, scope, what, false);
  if (raw === undefined) return undefined;
  const lit = literal(raw, 'boolean', scope.ctx.version);
  if (!lit.ok) report(scope, member.path, 'value-boolean', `${what} must be true or false`);
  return lit.ok ? (lit.value as boolean) : undefined;
}

export function readInteger(member: Member | undefined, scope: Scope, what: string): number | undefined {
  if (member === undefined) return undefined;
  const raw = single(member, scope, what, false);
  if (raw === undefined) return undefined;
  const lit = literal(raw, 'integer', scope.ctx.version);
  if (!lit.ok) report(scope, member.path, 'value-integer', `${what} must be an integer (4 bytes)`);
  return lit.ok ? (lit.value as number) : undefined;
}

/** A localizable string: a string, a language map, or an array of strings and {@value, @language}. */
export function readLocalizable(
  member: Member | undefined,
  scope: Scope,
  what: string,
  max: number,
): LocalizedString | undefined {
  if (member === undefined) return undefined;
  const { value, path } = member;
  const tooLong = (text: string, at: string): boolean => {
    if (text.length <= max) return false;
    report(scope, at, 'value-length', `${what} is ${text.length} characters; the limit is ${max}`);
    return true;
  };
  if (typeof value === 'string') return tooLong(value, path) ? undefined : value;
  if (isObject(value)) {
    const out: Record<string, string> = {};
    for (const [lang, text] of Object.entries(value)) {
      const at = pointer(path, lang);
      if (!LANGUAGE_TAG.test(lang))
        report(scope, at, 'localizable-language', `"${lang}" is not a language tag like "en" or "en-US"`);
      else if (typeof text !== 'string')
        report(scope, at, 'localizable-string', `${what} in "${lang}" must be a string`);
      else if (!tooLong(text, at)) out[lang] = text;
    }
    return out;
  }
  if (Array.isArray(value)) {
    const out: Record<string, string> = {};
    let defaults = 0;
    value.forEach((item, i) => {
      const at = `${path}/${i}`;
      let lang = 'en';
      let text: unknown = item;
      if (isObject(item)) {
        const keys = Object.keys(item);
        const v = scope.ctx.version;
        const keysOk = keys.every((k) => k === '@value' || k === '@language' || isTolerableKeyword(k, v));
        if (!keysOk || typeof item['@value'] !== 'string') {
          report(
            scope,
            at,
            'localizable-tagged-value',
            `each object in ${what} must be {"@value": string, "@language"?: tag}`,
          );
          return;
        }
        text = item['@value'];
        if (item['@language'] !== undefined) {
          if (typeof item['@language'] !== 'string' || !LANGUAGE_TAG.test(item['@language'])) {
            report(
              scope,
              at,
              'localizable-language',
              `"@language" must be a language tag like "en" or "en-US"`,
            );
            return;
          }
          lang = item['@language'];
        } else defaults++;
      } else if (typeof item === 'string') defaults++;
      else {
        report(
          scope,
          at,
          'localizable-string',
          `${what} values must be strings or {"@value", "@language"} objects`,
        );
        return;
      }
      if (lang === 'en' && isObject(item) && item['@language'] === 'en') defaults++;
      if (lang in out && lang !== 'en')
        report(scope, at, 'localizable-language-unique', `language "${lang}" appears twice in ${what}`);
      if (!tooLong(text as string, at)) out[lang] = text as string;
    });
    if (defaults > 1)
      report(
        scope,
        path,
        'localizable-one-default',
        `${what} may have only one value in the default language (en)`,
      );
    return out;
  }
  report(scope, path, 'localizable-type', `${what} must be a string, a language map or an array`);
  return undefined;
}

/** Reads and registers an element's @id. */
export function readId(
  obj: Json,
  scope: Scope,
  path: string,
  required: boolean,
  isInterface: boolean,
): string | undefined {
  const raw = obj['@id'];
  const at = `${path}/@id`;
  if (raw === undefined) {
    if (required)
      report(
        scope,
        path,
        'id-required',
        isInterface
          ? 'an Interface must have an "@id" (a DTMI)'
          : 'a complex schema in "schemas" must have an "@id"',
      );
    return undefined;
  }
  const problem = isInterface
    ? interfaceIdProblem(raw, scope.ctx.version)
    : (dtmiProblem(raw, scope.ctx.version) ?? reservedPrefixProblem(raw as string));
  if (problem !== undefined) {
    report(scope, at, Array.isArray(raw) ? 'id-not-array' : 'id-dtmi', `@id is invalid: ${problem}`);
    return undefined;
  }
  const id = raw as string;
  const seen = scope.doc.ids.get(id);
  // An element referenced by its @id is read again where it is referenced: same node, same element.
  if (seen?.node === obj) return id;
  if (seen !== undefined) {
    report(
      scope,
      at,
      'id-duplicate',
      `@id "${id}" is already used at ${seen.file ? `${seen.file} ` : ''}${seen.path}`,
    );
    return isInterface ? undefined : id;
  }
  scope.doc.ids.set(id, { file: scope.doc.file, path: at, node: obj });
  return id;
}

export function readName(
  members: Map<string, Member>,
  scope: Scope,
  path: string,
  cls: string,
  required = true,
): string | undefined {
  const member = members.get('name');
  if (member === undefined) {
    if (required) report(scope, path, 'name-required', `a ${cls} must have a "name"`);
    return undefined;
  }
  const name = readString(member, scope, 'name', limitsOf(scope).name, true);
  if (name !== undefined && !/^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?$/.test(name)) {
    report(
      scope,
      member.path,
      'name-pattern',
      `name "${name}" must start with a letter, contain only letters, digits and "_", and end with a letter or digit`,
    );
    return undefined;
  }
  return name;
}

/** Members every element may have. */
export const COMMON_MEMBERS = ['comment', 'description', 'displayName'] as const;

export interface Descriptive {
  displayName?: LocalizedString;
  description?: LocalizedString;
  comment?: string;
}

export function readDescriptive(members: Map<string, Member>, scope: Scope): Descriptive {
  const lim = limitsOf(scope);
  const out: Descriptive = {};
  const displayName = readLocalizable(members.get('displayName'), scope, 'displayName', lim.displayName);
  const description = readLocalizable(members.get('description'), scope, 'description', lim.description);
  const comment = readString(members.get('comment'), scope, 'comment', lim.comment);
  if (displayName !== undefined) out.displayName = displayName;
  if (description !== undefined) out.description = description;
  if (comment !== undefined) out.comment = comment;
  return out;
}
