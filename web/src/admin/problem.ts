// Where a section says what went wrong (the refusal's code, the server's detail and the path at
// fault) or what was done: next to the form that asked, never a blank failure.
import { AuthRequiredError, signInAgain } from '../api.js';
import { t } from '../i18n/admin-page.js';
import { Refusal } from './requests.js';

/** The words for a failure, in the page's language around the server's own detail (docs/i18n.md). */
export function describeFailure(error: unknown): string {
  if (error instanceof Refusal) {
    return error.path === undefined
      ? t('problem', { code: error.code, detail: error.detail })
      : t('problem.at', { code: error.code, detail: error.detail, path: error.path });
  }
  return t('problem.network', { error: error instanceof Error ? error.message : String(error) });
}

/** Shows a failure in `node`; a session that ended goes to the sign-in page instead. */
export function showProblem(node: HTMLElement, error: unknown): void {
  if (error instanceof AuthRequiredError) {
    signInAgain();
    return;
  }
  node.textContent = describeFailure(error);
  node.hidden = false;
}

/** Shows a message the page wrote itself (a local check that failed before anything was sent). */
export function showMessage(node: HTMLElement, text: string): void {
  node.textContent = text;
  node.hidden = false;
}

export function clearMessage(node: HTMLElement): void {
  node.textContent = '';
  node.hidden = true;
}
