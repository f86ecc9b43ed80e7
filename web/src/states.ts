// Operating states and the colours the world paints them in; the legend shows the same table.
import { Color } from 'three';
import { stateName } from './i18n/common.js';
import { t } from './i18n/world-page.js';
import { STATE_COLOURS } from './state-colours.js';

export { STATE_COLOURS };

const cache = new Map<string, Color>();

/** The colour of a state, or undefined for a value the legend does not know (the kind's colour stays). */
export function stateColour(state: unknown): Color | undefined {
  if (typeof state !== 'string') return undefined;
  const hex = STATE_COLOURS[state];
  if (hex === undefined) return undefined;
  let colour = cache.get(state);
  if (!colour) {
    colour = new Color(hex);
    cache.set(state, colour);
  }
  return colour;
}

export function renderLegend(host: HTMLElement): void {
  host.replaceChildren(
    ...Object.entries(STATE_COLOURS).map(([state, hex]) => {
      const item = document.createElement('span');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = hex;
      item.append(swatch, stateName(t, state));
      item.dataset.state = state;
      return item;
    }),
  );
}
