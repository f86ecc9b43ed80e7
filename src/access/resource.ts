// What a policy names: resources as hierarchical paths (in the spirit of Eclipse Ditto's
// `thing:/features/...`). `twin:/88.100.1/line-2` is the twin 88.100.1/line-2 and every twin whose
// identifier continues below it; `twin:/88.100.1` a whole tenant; `twin:/` every twin.
// `twin:/88.100.1/line-2#costPerHour` is one field of those twins.
import { ValidationError } from '../core/errors.js';
import { identifierProblem } from '../core/id.js';

export const ACTIONS = ['read', 'write', 'execute'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Resource kinds. The first three are addressed by twin subtree (and twin and history by field);
 * the others are platform functions addressed as a whole (`studies:/`).
 */
export const RESOURCE_KINDS = [
  'twin',
  'history',
  'commands',
  'model',
  'studies',
  'layouts',
  /** 3D model files and their bindings to models and twins, drawn in the world. */
  'assets',
  'dead-letters',
  'metrics',
  'audit',
  'policies',
  'users',
  'tokens',
  'devices',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

const SUBTREE_KINDS: ReadonlySet<ResourceKind> = new Set(['twin', 'history', 'commands']);
const FIELD_KINDS: ReadonlySet<ResourceKind> = new Set(['twin', 'history']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface Resource {
  readonly kind: ResourceKind;
  /** A normalised identifier subtree (prefix upper-cased), or undefined for the whole kind. */
  readonly subtree?: string;
  readonly field?: string;
}

export function isSubtreeKind(kind: ResourceKind): boolean {
  return SUBTREE_KINDS.has(kind);
}

/** Parses `kind:/subtree#field`; throws IMV_POLICY_INVALID naming what is wrong. */
export function parseResource(text: string, path = ''): Resource {
  const fail = (why: string): never => {
    throw new ValidationError('IMV_POLICY_INVALID', `Resource "${text}": ${why}`, { path });
  };
  const colon = text.indexOf(':/');
  if (colon < 0) fail('write it as KIND:/PATH, e.g. twin:/88.100.1/line-2');
  const kind = text.slice(0, colon) as ResourceKind;
  if (!(RESOURCE_KINDS as readonly string[]).includes(kind)) {
    fail(`unknown kind "${kind}"; one of ${RESOURCE_KINDS.join(', ')}`);
  }
  let rest = text.slice(colon + 2);
  let field: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    field = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
    if (!FIELD_KINDS.has(kind)) fail(`a ${kind} resource has no fields`);
    if (!FIELD_NAME.test(field)) fail(`"${field}" is not a field name`);
  }
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  if (rest === '') return field === undefined ? { kind } : { kind, field };
  if (!SUBTREE_KINDS.has(kind)) fail(`a ${kind} resource is addressed as a whole: ${kind}:/`);
  return { kind, subtree: normalizeSubtree(rest, fail), ...(field === undefined ? {} : { field }) };
}

/** The canonical spelling of a resource: the key rules are stored and looked up under. */
export function resourceKey(resource: Resource): string {
  return `${resource.kind}:/${resource.subtree ?? ''}${resource.field === undefined ? '' : `#${resource.field}`}`;
}

/** A subtree is a Handle prefix alone (a tenant) or a valid identifier (that twin and those below it). */
function normalizeSubtree(text: string, fail: (why: string) => never): string {
  const slash = text.indexOf('/');
  const problem = identifierProblem(slash < 0 ? `${text}/x` : text);
  if (problem !== undefined) fail(problem);
  return slash < 0 ? text.toUpperCase() : `${text.slice(0, slash).toUpperCase()}${text.slice(slash)}`;
}
