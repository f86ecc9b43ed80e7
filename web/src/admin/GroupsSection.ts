// Groups: not stored on their own, they are the `groups` named on people's accounts. Each is shown
// with its members and the policies that grant or revoke something for `group:NAME`.
import type { StoredPolicyView, UserView } from '../../../src/core/wire-admin.js';
import { element } from '../dom.js';
import { t } from '../i18n/admin-page.js';
import { cell } from './fields.js';

export class GroupsSection {
  #users: readonly UserView[] = [];
  /** Undefined when the person may not read policies: the column then says so. */
  #policies: readonly StoredPolicyView[] | undefined;

  constructor(private readonly root: HTMLElement) {}

  showUsers(users: readonly UserView[]): void {
    this.#users = users;
    this.#render();
  }

  showPolicies(policies: readonly StoredPolicyView[]): void {
    this.#policies = policies;
    this.#render();
  }

  #render(): void {
    const members = new Map<string, string[]>();
    for (const user of this.#users) {
      for (const group of user.groups) members.set(group, [...(members.get(group) ?? []), user.name]);
    }
    const names = [...members.keys()].sort();
    this.root.querySelector<HTMLElement>('#groups-none')!.hidden = names.length > 0;
    this.root.querySelector<HTMLElement>('#group-list')!.hidden = names.length === 0;
    this.root.querySelector('#group-list tbody')!.replaceChildren(
      ...names.map((group) => {
        const row = element('tr');
        row.dataset.group = group;
        row.append(
          cell(group, 'mono'),
          cell(members.get(group)!.join(', ')),
          cell(this.#policiesNaming(`group:${group}`)),
        );
        return row;
      }),
    );
  }

  #policiesNaming(subject: string): string {
    if (this.#policies === undefined) return t('groups.policiesHidden');
    const ids = this.#policies
      .filter(({ policy }) => Object.values(policy.entries).some((entry) => entry.subjects.includes(subject)))
      .map(({ policy }) => policy.id);
    return ids.join(', ') || '—';
  }
}
