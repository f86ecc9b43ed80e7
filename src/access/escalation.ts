// Nobody hands out more than they hold: a policy written by a caller may grant or revoke only
// actions the caller may itself take on those resources, and only an unrestricted caller may
// write rules for a whole role (they reach every tenant's holders of it).
import type { AccessView } from './access-view.js';
import { ACTIONS } from './resource.js';
import { parseResource } from './resource.js';
import type { Policy } from './policy.js';

/** The first rule the caller may not write, as a sentence, or undefined when all are within reach. */
export function beyondReach(view: AccessView, unrestricted: boolean, policy: Policy): string | undefined {
  for (const [label, entry] of Object.entries(policy.entries)) {
    if (!unrestricted) {
      const role = entry.subjects.find((subject) => subject.startsWith('role:'));
      if (role !== undefined) return `entry "${label}" names ${role}; only a caller limited to no tenant may`;
    }
    for (const [path, { grant = [], revoke = [] }] of Object.entries(entry.resources)) {
      const { kind, subtree, field } = parseResource(path);
      for (const action of ACTIONS) {
        if (!grant.includes(action) && !revoke.includes(action)) continue;
        if (!view.can(action, kind, subtree, field)) {
          return `entry "${label}" grants or revokes ${action} on ${path}, which the caller may not ${action}`;
        }
      }
    }
  }
  return undefined;
}
