// Small helpers for the page's forms and tables.
import { element } from '../dom.js';

/** "88.100.1, 88.200.2" or one per line → ["88.100.1", "88.200.2"]. */
export function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function field<T extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
  form: HTMLFormElement,
  name: string,
): T {
  return form.elements.namedItem(name) as T;
}

/** A button in a table row; `action` names it for scripts and tests (data-action). */
export function rowButton(text: string, action: string, onClick: () => void): HTMLButtonElement {
  const button = element('button', 'small', text);
  button.type = 'button';
  button.dataset.action = action;
  button.addEventListener('click', onClick);
  return button;
}

export function cell(text: string, className?: string): HTMLTableCellElement {
  return element('td', className, text);
}

/** Options of a select: values as given, labels from `label`. */
export function fillSelect(
  select: HTMLSelectElement,
  values: readonly string[],
  label: (v: string) => string,
): void {
  select.replaceChildren(
    ...values.map((value) => {
      const option = element('option', undefined, label(value));
      option.value = value;
      return option;
    }),
  );
}
