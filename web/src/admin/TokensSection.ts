// API tokens for services and scripts: listed (never their secrets), created with a role, tenants and
// an expiry (the secret shown once, to copy then), and revoked (docs/api.md, "Tokens").
import {
  ROLE_NAMES,
  type CreatedTokenView,
  type ListPage,
  type TokenView,
} from '../../../src/core/wire-admin.js';
import { element } from '../dom.js';
import { format, t } from '../i18n/admin-page.js';
import { cell, field, fillSelect, listOf, rowButton } from './fields.js';
import type { SectionAccess } from './hook-shape.js';
import { clearMessage, showMessage, showProblem } from './problem.js';
import { get, send } from './requests.js';
import { roleName } from './role-name.js';

export class TokensSection {
  readonly #form: HTMLFormElement;
  readonly #problem: HTMLElement;
  readonly #listProblem: HTMLElement;
  readonly #secret: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly may: SectionAccess,
    private readonly onTokens: (tokens: readonly TokenView[]) => void,
  ) {
    this.#form = root.querySelector<HTMLFormElement>('#token-form')!;
    this.#problem = root.querySelector<HTMLElement>('#token-problem')!;
    this.#listProblem = root.querySelector<HTMLElement>('#tokens-problem')!;
    this.#secret = root.querySelector<HTMLElement>('#token-secret')!;
    fillSelect(field<HTMLSelectElement>(this.#form, 'role'), ROLE_NAMES, roleName);
    this.#form.hidden = !may.write;
    root.querySelector<HTMLElement>('#tokens-readonly')!.hidden = may.write;
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#create();
    });
    root.querySelector('#token-copy')!.addEventListener('click', () => void this.#copy());
  }

  async load(): Promise<void> {
    clearMessage(this.#listProblem);
    let tokens: readonly TokenView[];
    try {
      tokens = (await get<ListPage<TokenView>>('/api/v1/tokens')).value;
    } catch (error) {
      // Listing needs an administrator of every tenant: one limited to tenants may still create tokens.
      showProblem(this.#listProblem, error);
      return;
    }
    const when = (at: string | undefined, none: string): string =>
      at === undefined ? none : format.dateTime(new Date(at));
    this.root.querySelector('#token-list tbody')!.replaceChildren(
      ...tokens.map((token) => {
        const row = element('tr');
        row.dataset.token = token.id;
        const actions = element('td', 'actions');
        if (this.may.write) {
          actions.append(rowButton(t('token.revoke'), 'revoke', () => void this.#revoke(token)));
        }
        row.append(
          cell(token.name),
          cell(roleName(token.role)),
          cell(token.prefixes === undefined ? t('tenants.all') : token.prefixes.join(', '), 'mono'),
          cell(when(token.expires, t('token.never')), 'nowrap'),
          cell(when(token.lastUsed, t('token.unused')), 'nowrap'),
          actions,
        );
        return row;
      }),
    );
    this.onTokens(tokens);
  }

  async #create(): Promise<void> {
    clearMessage(this.#problem);
    this.#secret.hidden = true;
    const value = (name: string): string => field<HTMLInputElement>(this.#form, name).value.trim();
    const prefixes = listOf(value('prefixes'));
    try {
      const created = await send<CreatedTokenView>('POST', '/api/v1/tokens', {
        name: value('name'),
        role: value('role'),
        ...(prefixes.length === 0 ? {} : { prefixes }),
        ...(value('expiresIn') === '' ? {} : { expiresIn: value('expiresIn') }),
      });
      this.#secret.querySelector('code')!.textContent = created.token;
      this.#secret.querySelector('#token-secret-for')!.textContent = t('token.secretFor', {
        name: created.name,
      });
      this.#secret.hidden = false;
      this.#form.reset();
    } catch (error) {
      showProblem(this.#problem, error);
      return;
    }
    await this.load();
  }

  async #copy(): Promise<void> {
    const code = this.#secret.querySelector('code')!;
    const note = this.#secret.querySelector<HTMLElement>('#token-copied')!;
    try {
      await navigator.clipboard.writeText(code.textContent ?? '');
      showMessage(note, t('token.copied'));
    } catch {
      // No clipboard (a page not served over HTTPS, or permission refused): select it to copy by hand.
      getSelection()?.selectAllChildren(code);
      showMessage(note, t('token.copyByHand'));
    }
  }

  async #revoke(token: TokenView): Promise<void> {
    if (!confirm(t('token.confirmRevoke', { name: token.name }))) return;
    clearMessage(this.#listProblem);
    try {
      await send('DELETE', `/api/v1/tokens/${encodeURIComponent(token.id)}`);
    } catch (error) {
      showProblem(this.#listProblem, error);
      return;
    }
    await this.load();
  }
}
