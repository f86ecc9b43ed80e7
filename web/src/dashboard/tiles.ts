// The plant tiles: one big number per KPI, with what it is measured in.
import type { PlantKpis } from '../../../src/core/wire-dashboard.js';
import { element } from '../dom.js';
import type { DashboardKey } from '../i18n/dashboard.js';
import { locale, t } from '../i18n/dashboard-page.js';
import { TILES, type TileKey } from './format.js';

export function renderTiles(host: HTMLElement, plant: PlantKpis): Partial<Record<TileKey, number | null>> {
  const values: Partial<Record<TileKey, number | null>> = {};
  host.replaceChildren(
    ...TILES.map((tile) => {
      const value = plant[tile.key];
      values[tile.key] = value;
      const box = element('div', 'tile');
      box.dataset.kpi = tile.key;
      if (tile.key === 'alarmsNow' && (value ?? 0) > 0) box.classList.add('alarm');
      const number = element('div', 'value', tile.format(value, locale));
      const label = `tile.${tile.key}` as const satisfies DashboardKey;
      box.append(element('div', 'label', t(label)), number, element('div', 'unit muted', t(`${label}.unit`)));
      return box;
    }),
  );
  return values;
}
