// Policies, in the spirit of Eclipse Ditto's: a policy has labelled entries; an entry names
// subjects (who) and, per resource (what), the actions it grants and revokes. A policy document is
// validated whole here, before anything is stored, with a path to the first mistake.
import { ValidationError } from '../core/errors.js';
import { ACTIONS, parseResource, resourceKey, type Action, type Resource } from './resource.js';

/**
 * Who a rule applies to: a person (`user:NAME`), a group (`group:NAME`), an API key (`key:ID`),
 * a device (`device:NAME`) or everyone holding a role (`role:ROLE`).
 */
export type Subject = `${'user' | 'group' | 'key' | 'device' | 'role'}:${string}`;
const SUBJECT = /^(user|group|key|device|role):[\p{L}\p{N}._@+-]{1,128}$/u;
const POLICY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$/;

/** Bounds on one policy, so a stored policy can always be compiled and shown. */
export const POLICY_LIMITS = { entries: 200, subjectsPerEntry: 500, resourcesPerEntry: 1000 } as const;

export interface ResourceGrant {
  readonly grant?: readonly Action[];
  readonly revoke?: readonly Action[];
}

export interface PolicyEntry {
  readonly subjects: readonly Subject[];
  /** Resource path (`twin:/88.100.1/line-2`, `history:/`, `studies:/`) → what is granted and revoked. */
  readonly resources: Readonly<Record<string, ResourceGrant>>;
}

export interface Policy {
  readonly id: string;
  readonly entries: Readonly<Record<string, PolicyEntry>>;
}

/** One compiled rule: a subject's grant and revoke bits on one resource. */
export interface Rule {
  readonly subject: Subject;
  readonly resource: Resource;
  readonly key: string;
  readonly grant: number;
  readonly revoke: number;
}

export const ACTION_BIT: Readonly<Record<Action, number>> = { read: 1, write: 2, execute: 4 };

export function isSubject(value: unknown): value is Subject {
  return typeof value === 'string' && SUBJECT.test(value);
}

/** Checks a policy document (untrusted JSON) and returns it typed; throws IMV_POLICY_INVALID. */
export function parsePolicy(value: unknown): Policy {
  const fail = (path: string, why: string): never => {
    throw new ValidationError('IMV_POLICY_INVALID', `Policy ${path || '(document)'}: ${why}`, { path });
  };
  if (!isObject(value)) return fail('', 'must be an object with "id" and "entries"');
  const { id, entries } = value;
  if (typeof id !== 'string' || !POLICY_ID.test(id)) {
    fail('/id', 'must be 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  for (const key of Object.keys(value))
    if (key !== 'id' && key !== 'entries') fail(`/${key}`, 'unknown member');
  if (!isObject(entries)) return fail('/entries', 'must be an object of labelled entries');
  const labels = Object.keys(entries);
  if (labels.length > POLICY_LIMITS.entries) fail('/entries', `at most ${POLICY_LIMITS.entries} entries`);
  for (const label of labels) {
    const at = `/entries/${label}`;
    if (!LABEL.test(label)) fail(at, 'a label is 1–128 letters, digits, spaces, ".", "_" or "-"');
    const entry = entries[label];
    if (!isObject(entry)) return fail(at, 'must be an object with "subjects" and "resources"');
    const { subjects, resources } = entry;
    if (!Array.isArray(subjects) || subjects.length === 0)
      fail(`${at}/subjects`, 'must list at least one subject');
    if ((subjects as unknown[]).length > POLICY_LIMITS.subjectsPerEntry) {
      fail(`${at}/subjects`, `at most ${POLICY_LIMITS.subjectsPerEntry} subjects`);
    }
    (subjects as unknown[]).forEach((subject, i) => {
      if (!isSubject(subject)) {
        fail(`${at}/subjects/${i}`, 'a subject is user:NAME, group:NAME, key:ID, device:NAME or role:ROLE');
      }
    });
    if (!isObject(resources)) return fail(`${at}/resources`, 'must be an object of resource paths');
    const paths = Object.keys(resources);
    if (paths.length > POLICY_LIMITS.resourcesPerEntry) {
      fail(`${at}/resources`, `at most ${POLICY_LIMITS.resourcesPerEntry} resources`);
    }
    for (const path of paths) {
      const resourceAt = `${at}/resources/${path.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      parseResource(path, resourceAt);
      const grant = resources[path];
      if (!isObject(grant)) return fail(resourceAt, 'must be { "grant": [...], "revoke": [...] }');
      for (const key of Object.keys(grant)) {
        if (key !== 'grant' && key !== 'revoke') fail(`${resourceAt}/${key}`, 'only "grant" and "revoke"');
        const actions = grant[key];
        if (!Array.isArray(actions) || actions.some((a) => !(ACTIONS as readonly unknown[]).includes(a))) {
          fail(`${resourceAt}/${key}`, `must be a list of ${ACTIONS.join(', ')}`);
        }
      }
    }
  }
  return value as unknown as Policy;
}

/** The rules a policy states, one per subject and resource. */
export function policyRules(policy: Policy): Rule[] {
  const rules: Rule[] = [];
  for (const entry of Object.values(policy.entries)) {
    for (const [path, { grant = [], revoke = [] }] of Object.entries(entry.resources)) {
      const resource = parseResource(path);
      const key = resourceKey(resource);
      for (const subject of entry.subjects) {
        rules.push({ subject, resource, key, grant: bits(grant), revoke: bits(revoke) });
      }
    }
  }
  return rules;
}

export function bits(actions: readonly Action[]): number {
  let result = 0;
  for (const action of actions) result |= ACTION_BIT[action];
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
