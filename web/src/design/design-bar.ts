// The design toolbar's elements: draft, who is here, the selected object's position and turn,
// the palette of equipment to add, and saving a version. Behaviour is wired by DesignMode.
import { DESIGN_KINDS, type DesignKind } from '../../../src/core/wire-layout.js';
import { element } from '../dom.js';
import type { WorldKey } from '../i18n/world.js';
import { t } from '../i18n/world-page.js';

export interface DesignBar {
  readonly root: HTMLElement;
  readonly draftName: HTMLInputElement;
  readonly open: HTMLButtonElement;
  readonly status: HTMLElement;
  readonly people: HTMLElement;
  readonly changes: HTMLElement;
  readonly selectedName: HTMLElement;
  readonly x: HTMLInputElement;
  readonly y: HTMLInputElement;
  readonly rotation: HTMLInputElement;
  readonly rotateLeft: HTMLButtonElement;
  readonly rotateRight: HTMLButtonElement;
  readonly remove: HTMLButtonElement;
  readonly reset: HTMLButtonElement;
  readonly snap: HTMLInputElement;
  readonly palette: ReadonlyMap<DesignKind, HTMLButtonElement>;
  readonly versionName: HTMLInputElement;
  readonly save: HTMLButtonElement;
  readonly message: HTMLElement;
  /** Everything that edits: disabled for viewers. */
  readonly editors: ReadonlyArray<HTMLInputElement | HTMLButtonElement>;
}

const PALETTE_LABELS: Record<DesignKind, WorldKey> = {
  station: 'design.kind.station',
  machine: 'design.kind.machine',
  robot: 'design.kind.robot',
  conveyor: 'design.kind.conveyor',
  buffer: 'design.kind.buffer',
  agv: 'design.kind.agv',
  other: 'design.kind.other',
};

function field(label: string, input: HTMLInputElement): HTMLLabelElement {
  const wrap = element('label', 'design-field', label);
  wrap.append(input);
  return wrap;
}

function numberInput(name: string, step: string): HTMLInputElement {
  const input = element('input');
  input.type = 'number';
  input.step = step;
  input.name = name;
  input.disabled = true;
  return input;
}

function button(text: string, title: string, name: string): HTMLButtonElement {
  const b = element('button', undefined, text);
  b.type = 'button';
  b.title = title;
  b.name = name;
  return b;
}

export function buildDesignBar(initialDraft: string): DesignBar {
  const root = element('section', 'design-bar');
  root.setAttribute('aria-label', t('design.label'));
  root.hidden = true;

  const draftName = element('input');
  draftName.name = 'draft';
  draftName.value = initialDraft;
  draftName.maxLength = 73;
  draftName.pattern = '[A-Za-z0-9][A-Za-z0-9._\\-]*';
  const open = button(t('design.open'), t('design.open.title'), 'open');
  const status = element('span', 'design-status', t('design.offline'));
  const people = element('span', 'design-people');
  const changes = element('span', 'design-changes', t('design.changes', { count: 0 }));
  const head = element('div', 'design-row');
  head.append(field(t('design.draft'), draftName), open, status, changes, people);

  const selectedName = element('span', 'design-selected', t('design.pick'));
  const x = numberInput('x', '0.5');
  const y = numberInput('y', '0.5');
  const rotation = numberInput('rotation', '15');
  const rotateLeft = button('⟲', t('design.left.title'), 'rotate-left');
  const rotateRight = button('⟳', t('design.right.title'), 'rotate-right');
  const remove = button(t('design.remove'), t('design.remove.title'), 'remove');
  const reset = button(t('design.reset'), t('design.reset.title'), 'reset');
  const snap = element('input');
  snap.type = 'checkbox';
  snap.checked = true;
  snap.name = 'snap';
  const snapLabel = element('label', 'design-field', t('design.snap'));
  snapLabel.prepend(snap);
  const edit = element('div', 'design-row');
  edit.append(
    selectedName,
    field('X', x),
    field('Y', y),
    field(t('design.turn'), rotation),
    rotateLeft,
    rotateRight,
    remove,
    reset,
    snapLabel,
  );

  const paletteRow = element('div', 'design-row');
  paletteRow.append(element('span', 'design-label', t('design.add')));
  const palette = new Map<DesignKind, HTMLButtonElement>();
  for (const kind of DESIGN_KINDS) {
    const label = t(PALETTE_LABELS[kind]);
    const b = button(label, t('design.add.title', { kind: label }), `add-${kind}`);
    palette.set(kind, b);
    paletteRow.append(b);
  }

  const versionName = element('input');
  versionName.name = 'version';
  versionName.placeholder = t('design.version');
  versionName.maxLength = 100;
  const save = button(t('design.save'), t('design.save.title'), 'save');
  const message = element('span', 'design-message');
  message.setAttribute('role', 'status');
  const saveRow = element('div', 'design-row');
  saveRow.append(versionName, save, message);

  const help = element('div', 'design-help', t('design.help'));
  root.append(head, edit, paletteRow, saveRow, help);
  const editors = [
    x,
    y,
    rotation,
    rotateLeft,
    rotateRight,
    remove,
    reset,
    ...palette.values(),
    save,
    versionName,
  ];
  return {
    root,
    draftName,
    open,
    status,
    people,
    changes,
    selectedName,
    x,
    y,
    rotation,
    rotateLeft,
    rotateRight,
    remove,
    reset,
    snap,
    palette,
    versionName,
    save,
    message,
    editors,
  };
}
