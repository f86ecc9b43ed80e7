// People: the accounts that sign in at /signin. Lists them, creates one, changes its role, tenants,
// groups or password, disables, enables and deletes it (docs/people.md, "Accounts").
import { ROLE_NAMES, type UserView } from '../../../src/core/wire-admin.js';
import { element } from '../dom.js';
import { t } from '../i18n/admin-page.js';
import { cell, field, fillSelect, listOf, rowButton } from './fields.js';
import type { SectionAccess } from './hook-shape.js';
import { clearMessage, showProblem } from './problem.js';
import { get, send } from './requests.js';
import { roleName } from './role-name.js';

const userPath = (name: string): string => `/api/v1/users/${encodeURIComponent(name)}`;

export class PeopleSection {
  #users: readonly UserView[] = [];
  /** The account the form changes; undefined while it creates a new one. */
  #editing: string | undefined;
  readonly #form: HTMLFormElement;
  readonly #problem: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly may: SectionAccess,
    private readonly onUsers: (users: readonly UserView[]) => void,
  ) {
    this.#form = root.querySelector<HTMLFormElement>('#user-form')!;
    this.#problem = root.querySelector<HTMLElement>('#user-problem')!;
    fillSelect(field<HTMLSelectElement>(this.#form, 'role'), ROLE_NAMES, roleName);
    this.#form.hidden = !may.write;
    root.querySelector<HTMLElement>('#users-readonly')!.hidden = may.write;
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#save();
    });
    root.querySelector('#user-cancel')!.addEventListener('click', () => this.#createMode());
  }

  async load(): Promise<void> {
    try {
      this.#users = await get<UserView[]>('/api/v1/users');
    } catch (error) {
      showProblem(this.#problem, error);
      return;
    }
    this.#render();
    this.onUsers(this.#users);
  }

  #render(): void {
    const body = this.root.querySelector('#users tbody')!;
    body.replaceChildren(...this.#users.map((user) => this.#row(user)));
  }

  #row(user: UserView): HTMLTableRowElement {
    const row = element('tr');
    row.dataset.user = user.name;
    row.classList.toggle('disabled', user.disabled);
    const status = user.disabled ? t('status.disabled') : t('status.active');
    const via = user.signsInWith === 'openid-connect' ? ` · ${t('status.oidc')}` : '';
    row.append(
      cell(user.name, 'mono'),
      cell(user.displayName),
      cell(roleName(user.role)),
      cell(user.prefixes === undefined ? t('tenants.all') : user.prefixes.join(', '), 'mono'),
      cell(user.groups.join(', ') || '—'),
      cell(status + via, user.signsInWith === 'openid-connect' ? undefined : 'nowrap'),
    );
    const actions = element('td', 'actions');
    if (this.may.write) {
      actions.append(
        rowButton(t('user.edit'), 'edit', () => this.#editMode(user)),
        rowButton(
          user.disabled ? t('user.enable') : t('user.disable'),
          user.disabled ? 'enable' : 'disable',
          () => {
            void this.#change(user.name, () =>
              send('PATCH', userPath(user.name), { disabled: !user.disabled }),
            );
          },
        ),
        rowButton(t('user.delete'), 'delete', () => {
          if (!confirm(t('user.confirmDelete', { name: user.name }))) return;
          void this.#change(user.name, () => send('DELETE', userPath(user.name)));
        }),
      );
    }
    row.append(actions);
    return row;
  }

  async #change(name: string, request: () => Promise<unknown>): Promise<void> {
    clearMessage(this.#problem);
    try {
      await request();
    } catch (error) {
      showProblem(this.#problem, error);
      return;
    }
    if (this.#editing === name) this.#createMode();
    await this.load();
  }

  async #save(): Promise<void> {
    const form = this.#form;
    const value = (name: string): string => field<HTMLInputElement>(form, name).value.trim();
    const prefixes = listOf(value('prefixes'));
    const password = field<HTMLInputElement>(form, 'password').value;
    const common = {
      role: value('role'),
      groups: listOf(value('groups')),
      ...(value('displayName') === '' ? {} : { displayName: value('displayName') }),
      ...(password === '' ? {} : { password }),
    };
    const editing = this.#editing;
    await this.#change(editing ?? value('name'), async () => {
      if (editing === undefined) {
        await send('POST', '/api/v1/users', {
          name: value('name'),
          ...common,
          ...(prefixes.length === 0 ? {} : { prefixes }),
        });
      } else {
        // No tenants listed: every tenant (null), as the API has it.
        await send('PATCH', userPath(editing), {
          ...common,
          prefixes: prefixes.length === 0 ? null : prefixes,
        });
      }
      if (editing === undefined) form.reset();
    });
  }

  #editMode(user: UserView): void {
    this.#editing = user.name;
    const form = this.#form;
    clearMessage(this.#problem);
    const name = field<HTMLInputElement>(form, 'name');
    name.value = user.name;
    name.readOnly = true;
    field<HTMLInputElement>(form, 'displayName').value = user.displayName;
    field<HTMLSelectElement>(form, 'role').value = user.role;
    field<HTMLInputElement>(form, 'prefixes').value = (user.prefixes ?? []).join(', ');
    field<HTMLInputElement>(form, 'groups').value = user.groups.join(', ');
    field<HTMLInputElement>(form, 'password').value = '';
    form.querySelector('#user-form-title')!.textContent = t('user.change', { name: user.name });
    form.querySelector('#user-password-label')!.textContent = t('field.newPassword');
    form.querySelector('#user-submit')!.textContent = t('user.saveChanges');
    form.querySelector<HTMLElement>('#user-cancel')!.hidden = false;
    name.scrollIntoView({ block: 'nearest' });
  }

  #createMode(): void {
    this.#editing = undefined;
    const form = this.#form;
    form.reset();
    field<HTMLInputElement>(form, 'name').readOnly = false;
    form.querySelector('#user-form-title')!.textContent = t('user.create');
    form.querySelector('#user-password-label')!.textContent = t('field.password');
    form.querySelector('#user-submit')!.textContent = t('user.submit');
    form.querySelector<HTMLElement>('#user-cancel')!.hidden = true;
  }
}
