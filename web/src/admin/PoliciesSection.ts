// Policies: the stored ones listed, one shown as formatted JSON, created or replaced from a JSON
// editor (with a small form that shares a subtree with a subject), and deleted. The server checks
// every document; its refusals (IMV_POLICY_INVALID with the path at fault, IMV_POLICY_BEYOND_REACH)
// are shown under the editor as it words them.
import {
  ACTION_NAMES,
  type ActionName,
  type ListPage,
  type StoredPolicyView,
} from '../../../src/core/wire-admin.js';
import { element } from '../dom.js';
import { format, t } from '../i18n/admin-page.js';
import { cell, field, rowButton } from './fields.js';
import type { SectionAccess } from './hook-shape.js';
import { clearMessage, showMessage, showProblem } from './problem.js';
import { get, send } from './requests.js';
import { withShare } from './share-entry.js';

const policyPath = (id: string): string => `/api/v1/policies/${encodeURIComponent(id)}`;
const EMPTY_DOCUMENT = { entries: {} };

export class PoliciesSection {
  #policies: readonly StoredPolicyView[] = [];
  readonly #form: HTMLFormElement;
  readonly #problem: HTMLElement;
  readonly #done: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly may: SectionAccess,
    private readonly onPolicies: (policies: readonly StoredPolicyView[]) => void,
  ) {
    this.#form = root.querySelector<HTMLFormElement>('#policy-form')!;
    this.#problem = root.querySelector<HTMLElement>('#policy-problem')!;
    this.#done = root.querySelector<HTMLElement>('#policy-done')!;
    this.#form.hidden = !may.write;
    root.querySelector<HTMLElement>('#policies-readonly')!.hidden = may.write;
    this.#document.value = pretty(EMPTY_DOCUMENT);
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#save();
    });
    root.querySelector('#share-add')!.addEventListener('click', () => this.#share());
    root.querySelector('#policy-new')!.addEventListener('click', () => {
      field<HTMLInputElement>(this.#form, 'id').value = '';
      this.#document.value = pretty(EMPTY_DOCUMENT);
      this.#clear();
    });
  }

  get #document(): HTMLTextAreaElement {
    return field<HTMLTextAreaElement>(this.#form, 'document');
  }

  async load(): Promise<void> {
    try {
      this.#policies = (await get<ListPage<StoredPolicyView>>('/api/v1/policies')).value;
    } catch (error) {
      showProblem(this.#problem, error);
      return;
    }
    this.#render();
    this.onPolicies(this.#policies);
  }

  #render(): void {
    this.root.querySelector<HTMLElement>('#policies-none')!.hidden = this.#policies.length > 0;
    this.root.querySelector('#policy-list tbody')!.replaceChildren(
      ...this.#policies.map((stored) => {
        const { policy } = stored;
        const row = element('tr');
        row.dataset.policy = policy.id;
        const subjects = new Set(Object.values(policy.entries).flatMap((entry) => entry.subjects));
        const actions = element('td', 'actions');
        actions.append(rowButton(t('policy.view'), 'view', () => this.#show(stored)));
        if (this.may.write) {
          actions.append(
            rowButton(t('policy.edit'), 'edit', () => this.#edit(stored)),
            rowButton(t('policy.delete'), 'delete', () => void this.#delete(policy.id)),
          );
        }
        row.append(
          cell(policy.id, 'mono'),
          cell([...subjects].join(', '), 'mono'),
          cell(format.number(stored.revision, 0)),
          cell(
            t('policy.updated', { time: format.dateTime(new Date(stored.updated)), by: stored.updatedBy }),
          ),
          actions,
        );
        return row;
      }),
    );
  }

  #show(stored: StoredPolicyView): void {
    const shown = this.root.querySelector<HTMLElement>('#policy-shown')!;
    shown.querySelector('h3')!.textContent = t('policy.shown', {
      id: stored.policy.id,
      revision: stored.revision,
    });
    shown.querySelector('pre')!.textContent = pretty(stored.policy);
    shown.hidden = false;
  }

  #edit(stored: StoredPolicyView): void {
    const { id, ...document } = stored.policy;
    field<HTMLInputElement>(this.#form, 'id').value = id;
    this.#document.value = pretty(document);
    this.#clear();
    this.#form.scrollIntoView({ block: 'nearest' });
  }

  /** The editor's JSON, or a message under it when it does not parse (nothing is sent then). */
  #parsed(): Record<string, unknown> | undefined {
    let value: unknown;
    try {
      value = JSON.parse(this.#document.value || '{}');
    } catch (error) {
      showMessage(
        this.#problem,
        t('policy.badJson', { error: error instanceof Error ? error.message : String(error) }),
      );
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      showMessage(this.#problem, t('policy.notObject'));
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  #share(): void {
    this.#clear();
    const subject = field<HTMLInputElement>(this.#form, 'subject').value.trim();
    const resource = field<HTMLInputElement>(this.#form, 'resource').value.trim();
    const actions = [...this.#form.querySelectorAll<HTMLInputElement>('input[name=action]:checked')]
      .map((box) => box.value as ActionName)
      .filter((action) => ACTION_NAMES.includes(action));
    if (subject === '' || resource === '' || actions.length === 0) {
      showMessage(this.#problem, t('share.incomplete'));
      return;
    }
    const document = this.#parsed();
    if (document === undefined) return;
    this.#document.value = pretty(withShare(document, subject, resource, actions));
    showMessage(this.#done, t('share.added'));
  }

  async #save(): Promise<void> {
    this.#clear();
    const id = field<HTMLInputElement>(this.#form, 'id').value.trim();
    const document = this.#parsed();
    if (document === undefined) return;
    try {
      const stored = await send<StoredPolicyView>('PUT', policyPath(id), document);
      showMessage(this.#done, t('policy.saved', { id: stored.policy.id, revision: stored.revision }));
    } catch (error) {
      showProblem(this.#problem, error);
      return;
    }
    await this.load();
  }

  async #delete(id: string): Promise<void> {
    if (!confirm(t('policy.confirmDelete', { id }))) return;
    this.#clear();
    try {
      await send('DELETE', policyPath(id));
      showMessage(this.#done, t('policy.deleted', { id }));
    } catch (error) {
      showProblem(this.#problem, error);
      return;
    }
    await this.load();
  }

  #clear(): void {
    clearMessage(this.#problem);
    clearMessage(this.#done);
  }
}

const pretty = (value: unknown): string => JSON.stringify(value, null, 2);
