// The design toolbar's elements: draft, who is here, the selected object's position and turn,
// the palette of equipment to add, and saving a version. Behaviour is wired by DesignMode.
import { DESIGN_KINDS, type DesignKind } from '../../../src/core/wire-layout.js';
import { element } from '../dom.js';

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

const PALETTE_LABELS: Record<DesignKind, string> = {
  station: 'Station',
  machine: 'Machine',
  robot: 'Robot',
  conveyor: 'Conveyor',
  buffer: 'Buffer / rack',
  agv: 'AGV',
  other: 'Other',
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
  root.setAttribute('aria-label', 'Layout design');
  root.hidden = true;

  const draftName = element('input');
  draftName.name = 'draft';
  draftName.value = initialDraft;
  draftName.maxLength = 73;
  draftName.pattern = '[A-Za-z0-9][A-Za-z0-9._\\-]*';
  const open = button(
    'Open',
    'Open or create this draft (shared with everyone who opens the same name)',
    'open',
  );
  const status = element('span', 'design-status', 'not connected');
  const people = element('span', 'design-people');
  const changes = element('span', 'design-changes', '0 changes');
  const head = element('div', 'design-row');
  head.append(field('Draft', draftName), open, status, changes, people);

  const selectedName = element('span', 'design-selected', 'Click equipment to edit it');
  const x = numberInput('x', '0.5');
  const y = numberInput('y', '0.5');
  const rotation = numberInput('rotation', '15');
  const rotateLeft = button('⟲', 'Turn 15° anticlockwise (R)', 'rotate-left');
  const rotateRight = button('⟳', 'Turn 15° clockwise (Shift+R)', 'rotate-right');
  const remove = button('Remove', 'Remove from the layout (Del)', 'remove');
  const reset = button('Reset', 'Put back as in the plant', 'reset');
  const snap = element('input');
  snap.type = 'checkbox';
  snap.checked = true;
  snap.name = 'snap';
  const snapLabel = element('label', 'design-field', 'Snap 0.5 m');
  snapLabel.prepend(snap);
  const edit = element('div', 'design-row');
  edit.append(
    selectedName,
    field('X', x),
    field('Y', y),
    field('Turn °', rotation),
    rotateLeft,
    rotateRight,
    remove,
    reset,
    snapLabel,
  );

  const paletteRow = element('div', 'design-row');
  paletteRow.append(element('span', 'design-label', 'Add'));
  const palette = new Map<DesignKind, HTMLButtonElement>();
  for (const kind of DESIGN_KINDS) {
    const b = button(PALETTE_LABELS[kind], `Add a ${kind} at the centre of the view`, `add-${kind}`);
    palette.set(kind, b);
    paletteRow.append(b);
  }

  const versionName = element('input');
  versionName.name = 'version';
  versionName.placeholder = 'Version name';
  versionName.maxLength = 100;
  const save = button('Save version', 'Save the draft as a named, immutable layout version', 'save');
  const message = element('span', 'design-message');
  message.setAttribute('role', 'status');
  const saveRow = element('div', 'design-row');
  saveRow.append(versionName, save, message);

  const help = element(
    'div',
    'design-help',
    'Drag the selected equipment on the floor · R / Shift+R turn 15° · arrows move 0.5 m · Del removes · Esc deselects',
  );
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
