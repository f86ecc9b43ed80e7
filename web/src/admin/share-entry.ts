// "Share a subtree with a subject": adds to a policy document an entry granting `actions` on
// `resource` to `subject`, joining the entry that already names that subject alone.
import type { ActionName, PolicyEntryView } from '../../../src/core/wire-admin.js';

type Entries = Record<string, PolicyEntryView>;

/** The document with the share added; its other members are kept as they were. */
export function withShare(
  document: Record<string, unknown>,
  subject: string,
  resource: string,
  actions: readonly ActionName[],
): Record<string, unknown> {
  const entries: Entries =
    typeof document.entries === 'object' && document.entries !== null && !Array.isArray(document.entries)
      ? { ...(document.entries as Entries) }
      : {};
  const label =
    Object.keys(entries).find((key) => {
      const subjects = entries[key]?.subjects;
      return Array.isArray(subjects) && subjects.length === 1 && subjects[0] === subject;
    }) ?? freeLabel(entries);
  const entry = entries[label];
  entries[label] = {
    subjects: entry?.subjects ?? [subject],
    resources: { ...(entry?.resources ?? {}), [resource]: { grant: [...actions] } },
  };
  return { ...document, entries };
}

/** share-1, share-2, …: a label is letters, digits, spaces, ".", "_" or "-" (src/access/policy.ts). */
function freeLabel(entries: Entries): string {
  let n = 1;
  while (`share-${n}` in entries) n++;
  return `share-${n}`;
}
