// The search box: twins by name or identifier as you type; Enter takes the first hit.
import { twinRow } from './dom.js';
import { t } from './i18n/world-page.js';
import type { WorldIndex } from './WorldIndex.js';

export function enableSearch(
  input: HTMLInputElement,
  results: HTMLElement,
  index: WorldIndex,
  states: ReadonlyMap<string, unknown>,
  onSelect: (id: string) => void,
): void {
  const show = (): void => {
    const hits = index.search(input.value);
    results.replaceChildren(
      ...hits.map((o) => {
        const row = twinRow(o.id, o.name, o.type ?? o.kind, states.get(o.id));
        row.addEventListener('click', () => onSelect(o.id));
        return row;
      }),
    );
    if (input.value.trim() && hits.length === 0) {
      const none = document.createElement('p');
      none.className = 'muted';
      none.textContent = t('search.none');
      results.append(none);
    }
  };
  input.addEventListener('input', show);
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    const first = index.search(input.value, 1)[0];
    if (first) onSelect(first.id);
  });
}
