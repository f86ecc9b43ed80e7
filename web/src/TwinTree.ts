// The hierarchy tree (enterprise → site → workshop → line → station → equipment), from each object's
// parent. Children are drawn when a branch first opens, so a plant of thousands of twins stays light.
import type { WorldObject } from '../../src/core/wire.js';
import { element, paintDot, twinRow } from './dom.js';
import type { WorldIndex } from './WorldIndex.js';

/** Branches open on first view down to this depth (enterprise, site, factory). */
const OPEN_DEPTH = 3;

export class TwinTree {
  private readonly rows = new Map<string, HTMLDivElement>();
  private readonly branches = new Map<string, HTMLUListElement>();

  constructor(
    private readonly host: HTMLElement,
    private readonly index: WorldIndex,
    private readonly states: ReadonlyMap<string, unknown>,
    private readonly onSelect: (id: string) => void,
  ) {
    host.replaceChildren(...index.roots.map((o) => this.node(o, 1)));
  }

  /** Opens the branches down to the twin, marks it and scrolls it into view. */
  reveal(id: string): void {
    for (const ancestor of this.index.ancestry(id).slice(0, -1)) this.open(ancestor.id);
    for (const row of this.host.querySelectorAll('.node.selected')) row.classList.remove('selected');
    const row = this.rows.get(id);
    row?.classList.add('selected');
    row?.scrollIntoView({ block: 'nearest' });
  }

  setState(id: string, state: unknown): void {
    const dot = this.rows.get(id)?.querySelector<HTMLElement>('.dot');
    if (dot) paintDot(dot, state);
  }

  private node(object: WorldObject, depth: number): HTMLLIElement {
    const item = element('li');
    const row = twinRow(object.id, object.name, object.type ?? object.kind, this.states.get(object.id));
    const kids = this.index.childrenOf(object.id);
    const toggle = element('span', 'toggle', kids.length ? '▸' : '·');
    row.prepend(toggle);
    toggle.addEventListener('click', (event) => {
      event.stopPropagation();
      if (this.branches.has(object.id)) this.close(object.id);
      else this.open(object.id);
    });
    row.addEventListener('click', () => this.onSelect(object.id));
    this.rows.set(object.id, row);
    item.append(row);
    if (kids.length && depth < OPEN_DEPTH) queueMicrotask(() => this.open(object.id, depth));
    return item;
  }

  private open(id: string, depth = this.index.ancestry(id).length): void {
    const row = this.rows.get(id);
    if (!row || this.branches.has(id)) return;
    const kids = this.index.childrenOf(id);
    if (!kids.length) return;
    const list = element('ul', 'tree');
    list.append(...kids.map((kid) => this.node(kid, depth + 1)));
    row.after(list);
    this.branches.set(id, list);
    const toggle = row.querySelector('.toggle');
    if (toggle) toggle.textContent = '▾';
  }

  private close(id: string): void {
    const list = this.branches.get(id);
    if (!list) return;
    // Forget the rows below so reveal() and setState() never touch detached elements.
    for (const row of list.querySelectorAll<HTMLElement>('.node')) {
      if (row.dataset.id) this.rows.delete(row.dataset.id);
      this.branches.delete(row.dataset.id ?? '');
    }
    list.remove();
    this.branches.delete(id);
    const toggle = this.rows.get(id)?.querySelector('.toggle');
    if (toggle) toggle.textContent = '▸';
  }
}
