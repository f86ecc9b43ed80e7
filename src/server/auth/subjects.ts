// A principal as policies name it: its own subject (an API key, a person, a device), its groups and
// its role, and the tenants it is limited to. Cached per principal object, so the authorizer's view
// cache finds it by identity on every request of a cached token or session.
import type { Subjects } from '../../access/authorizer.js';
import type { Subject } from '../../access/policy.js';
import { roleNamed } from '../../access/roles.js';
import type { Principal } from './roles.js';

const cache = new WeakMap<Principal, Subjects>();

export function subjectsOf(principal: Principal): Subjects {
  let subjects = cache.get(principal);
  if (subjects === undefined) {
    subjects = {
      subjects: [...ownSubjects(principal), ...(principal.groups ?? []).map((g): Subject => `group:${g}`)],
      ...(principal.prefixes === undefined ? {} : { tenants: principal.prefixes }),
    };
    cache.set(principal, subjects);
  }
  return subjects;
}

function ownSubjects(principal: Principal): Subject[] {
  const role = roleNamed(principal.role);
  const own: Subject[] = role === undefined ? [] : [`role:${role}`];
  const credential = principal.credential ?? '';
  if (principal.via === 'token' && credential.startsWith('token:')) own.unshift(`key:${credential.slice(6)}`);
  if (principal.via === 'session') own.unshift(`user:${principal.name}`);
  if (principal.via === 'demo') own.push('group:local-demo');
  return own;
}
