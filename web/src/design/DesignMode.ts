// Design mode: one layout draft shared live with everyone who opens it (a Yjs document in the
// collaboration room `layout.<draft>`). Local edits write the draft; every change, local or remote,
// is drawn through DraftScene. Leaving design mode puts the plant back as it is.
import { WebsocketProvider } from 'y-websocket';
import { Doc } from 'yjs';
import {
  ADDED_PREFIX,
  DRAFT_NAME_PATTERN,
  DRAFT_ROOM_PREFIX,
  type DesignKind,
  type LayoutFields,
} from '../../../src/core/wire-layout.js';
import { DraftDoc } from '../../../src/core/wire-draft.js';
import { t } from '../i18n/world-page.js';
import { plantToWorld } from '../WorldMeshes.js';
import { onViewClick } from '../picking.js';
import type { WorldContext } from '../world-context.js';
import type { DesignBar } from './design-bar.js';
import type { DesignHook } from './hook-shape.js';
import { DraftScene } from './DraftScene.js';
import { enableDrag } from './drag-tool.js';

const SNAP = 0.5;
const TURN = 15;
/** Quiet time after the selected twin last moved before the page's selection box follows it. */
const RESELECT_MS = 400;
const DRAFT_NAME = new RegExp(DRAFT_NAME_PATTERN);

/** Sizes (width, depth, height in metres) new equipment starts with. */
const NEW_SIZES: Record<DesignKind, [number, number, number]> = {
  station: [4, 4, 2.2],
  machine: [2.5, 2, 2],
  robot: [1.2, 1.2, 2],
  conveyor: [4, 1, 0.9],
  buffer: [2, 1, 2],
  agv: [1.2, 0.8, 0.4],
  other: [1, 1, 1],
};

export interface Me {
  readonly name: string;
  readonly role: string;
  readonly canCollaborate: boolean;
}

export class DesignMode {
  private provider?: WebsocketProvider;
  private draft?: DraftDoc;
  private scene?: DraftScene;
  private selected?: string;
  /** What world.select last chose, to notice when the tree, search or a click chose another. */
  private seenSelection?: string;
  private readonly cleanups: Array<() => void> = [];
  private reselect?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly world: WorldContext,
    private readonly hook: DesignHook,
    private readonly me: Me,
    private readonly bar: DesignBar,
    /** Called when a draft is opened (the versions panel refreshes). */
    private readonly onOpen: (draft: string) => void,
  ) {
    for (const control of bar.editors) control.disabled = !me.canCollaborate;
    bar.open.addEventListener('click', () => this.open(bar.draftName.value.trim()));
    bar.draftName.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.open(bar.draftName.value.trim());
    });
    for (const [name, input] of [
      ['x', bar.x],
      ['y', bar.y],
      ['rotation', bar.rotation],
    ] as const) {
      input.addEventListener('change', () => {
        const value = Number(input.value);
        if (this.selected && input.value !== '' && Number.isFinite(value))
          this.edit(this.selected, { [name]: value });
      });
    }
    bar.rotateLeft.addEventListener('click', () => this.turn(TURN));
    bar.rotateRight.addEventListener('click', () => this.turn(-TURN));
    bar.remove.addEventListener('click', () => this.removeSelected());
    bar.reset.addEventListener('click', () => {
      if (this.selected && !this.selected.startsWith(ADDED_PREFIX)) this.draft?.reset(this.selected);
    });
    for (const [kind, b] of bar.palette) b.addEventListener('click', () => this.add(kind));
    Object.defineProperty(hook, 'selectedScreen', { enumerable: true, get: () => this.selectedScreen() });
  }

  /** The selected object's middle in page pixels, as the camera sees it now. */
  private selectedScreen(): { x: number; y: number } | undefined {
    const layout = this.selected === undefined ? undefined : this.scene?.layout(this.selected);
    if (!layout) return undefined;
    const z = this.scene?.base(this.selected!)?.z ?? 0;
    const point = plantToWorld(layout.x, layout.y, z + layout.height * 0.4).project(this.world.stage.camera);
    const rect = this.world.stage.renderer.domElement.getBoundingClientRect();
    return {
      x: rect.left + ((point.x + 1) / 2) * rect.width,
      y: rect.top + ((1 - point.y) / 2) * rect.height,
    };
  }

  get active(): boolean {
    return this.hook.active;
  }

  get draftName(): string | undefined {
    return this.hook.draft;
  }

  /** Enters design mode on a draft (leaving the one open, if another). */
  open(name: string): void {
    if (!DRAFT_NAME.test(name)) {
      this.say(t('design.badName'));
      return;
    }
    if (this.hook.active && this.hook.draft === name) return;
    this.disconnect();
    const doc = new Doc();
    const draft = new DraftDoc(doc);
    this.draft = draft;
    if (this.scene) this.scene.use(draft);
    else this.scene = new DraftScene(this.world, draft);
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const provider = new WebsocketProvider(
      `${scheme}://${location.host}/api/v1/world/collab`,
      `${DRAFT_ROOM_PREFIX}${name}`,
      doc,
      // The session cookie authenticates the upgrade (same origin): no token in the URL.
      { disableBc: true },
    );
    this.provider = provider;
    provider.awareness.setLocalStateField('user', { name: this.me.name, role: this.me.role });
    provider.on('sync', (synced: boolean) => {
      this.hook.synced = synced;
      if (synced && this.me.canCollaborate && !draft.meta.has('name')) {
        doc.transact(() => {
          draft.meta.set('name', name);
          draft.meta.set('base', this.world.index.title());
          draft.meta.set('createdBy', this.me.name);
        });
      }
      this.refreshBar();
    });
    provider.on('status', ({ status }: { status: string }) => {
      this.bar.status.textContent = status === 'connected' ? t('design.online') : `${status}…`;
    });
    provider.awareness.on('change', () => this.refreshPeople());
    const stop = draft.observe(({ ids, remote }) => {
      this.scene?.apply(ids);
      if (remote) this.hook.lastRemoteChange = { ids: [...ids], at: Date.now() };
      if (this.selected && ids.has(this.selected)) {
        this.scene?.select(this.selected);
        this.refreshWorldSelection();
      }
      this.refreshBar();
    });
    this.cleanups.push(stop);
    this.hook.active = true;
    this.hook.draft = name;
    this.hook.synced = false;
    this.bar.root.hidden = false;
    this.bar.draftName.value = name;
    try {
      localStorage.setItem('imverse.design.draft', name);
    } catch {
      // Private windows may refuse storage; the draft still opens.
    }
    this.startTools();
    this.select(this.world.hook.selected);
    this.onOpen(name);
    this.say(this.me.canCollaborate ? '' : t('design.viewing'));
  }

  /** Leaves design mode: the plant is drawn as it is again. */
  close(): void {
    const selected = this.selected;
    this.disconnect();
    this.scene?.restore();
    // The page's own selection box was drawn where the draft had the twin: draw it where it is.
    if (selected && !selected.startsWith(ADDED_PREFIX)) this.world.select(selected, false);
    this.hook.active = false;
    this.hook.synced = false;
    this.hook.people = [];
    this.hook.layouts = {};
    this.hook.changes = 0;
    delete this.hook.selected;
    delete this.hook.draft;
    this.selected = undefined;
    this.bar.root.hidden = true;
  }

  /** Outlines objects (a comparison), or clears the outlines. */
  highlight(objects: ReadonlyArray<{ id: string; kind: string; layout: LayoutFields }>): void {
    this.scene?.highlight(objects);
  }

  private disconnect(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.provider?.awareness.setLocalState(null);
    this.provider?.destroy();
    this.provider = undefined;
    this.draft?.doc.destroy();
    this.draft = undefined;
  }

  private startTools(): void {
    const editable = (id: string | undefined): id is string =>
      id !== undefined && this.me.canCollaborate && this.scene?.layout(id) !== undefined;
    this.cleanups.push(
      enableDrag(this.world, {
        pick: (raycaster) => {
          const id = this.scene?.pickAdded(raycaster) ?? this.world.meshes.pick(raycaster);
          return id !== undefined && id === this.selected && editable(id) ? id : undefined;
        },
        position: (id) => this.scene?.layout(id),
        move: (id, x, y) => this.edit(id, { x, y }),
      }),
    );
    // After the page's own picking (added first): added equipment is not a twin it knows.
    const removeClick = onViewClick(this.world.stage, (raycaster) => {
      const added = this.scene?.pickAdded(raycaster);
      this.seenSelection = this.world.hook.selected;
      this.select(added ?? this.world.hook.selected);
    });
    // The tree and the search box select through world.select: follow it.
    const onClick = (): void => this.followSelection();
    const onKey = (event: KeyboardEvent): void => this.key(event);
    document.addEventListener('click', onClick);
    document.addEventListener('keyup', onClick);
    document.addEventListener('keydown', onKey);
    // Selections that come without a click (a deep link once the page is built, the keyboard in the
    // tree) are noticed within a quarter second.
    const poll = setInterval(onClick, 250);
    this.cleanups.push(() => {
      clearInterval(poll);
      removeClick();
      document.removeEventListener('click', onClick);
      document.removeEventListener('keyup', onClick);
      document.removeEventListener('keydown', onKey);
    });
    this.seenSelection = this.world.hook.selected;
  }

  /**
   * The page's selection box and inspector follow a twin when it is selected, not when it moves:
   * select it again once it has stopped moving (after a drag, not at each step of it).
   */
  private refreshWorldSelection(): void {
    const id = this.selected;
    if (!id || id.startsWith(ADDED_PREFIX)) return;
    clearTimeout(this.reselect);
    this.reselect = setTimeout(() => {
      if (!this.hook.active || this.selected !== id) return;
      this.seenSelection = id;
      this.world.select(id, false);
    }, RESELECT_MS);
  }

  private followSelection(): void {
    if (!this.hook.active || this.world.hook.selected === this.seenSelection) return;
    this.seenSelection = this.world.hook.selected;
    this.select(this.world.hook.selected);
  }

  private key(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable))
      return;
    const id = this.selected;
    const layout = id === undefined ? undefined : this.scene?.layout(id);
    if (event.key === 'Escape') return this.select(undefined);
    if (!id || !layout || !this.me.canCollaborate) return;
    const arrows: Record<string, [number, number]> = {
      ArrowLeft: [-SNAP, 0],
      ArrowRight: [SNAP, 0],
      ArrowUp: [0, SNAP],
      ArrowDown: [0, -SNAP],
    };
    if (event.key === 'r' || event.key === 'R') this.turn(event.shiftKey ? -TURN : TURN);
    else if (event.key === 'Delete' || event.key === 'Backspace') this.removeSelected();
    else if (arrows[event.key]) {
      const [dx, dy] = arrows[event.key]!;
      this.edit(id, { x: layout.x + dx, y: layout.y + dy });
    } else return;
    event.preventDefault();
  }

  private select(id: string | undefined): void {
    const layout = id === undefined ? undefined : this.scene?.layout(id);
    this.selected = layout && !layout.removed ? id : undefined;
    if (this.selected) this.hook.selected = this.selected;
    else delete this.hook.selected;
    this.scene?.select(this.selected);
    this.provider?.awareness.setLocalStateField('selected', this.selected ?? null);
    this.refreshBar();
  }

  /** Writes fields of an object into the draft; positions snap to 0.5 m when snapping is on. */
  private edit(id: string, fields: Partial<LayoutFields>): void {
    if (!this.draft || !this.me.canCollaborate) return;
    const out: Partial<LayoutFields> = { ...fields };
    if (this.bar.snap.checked) {
      if (out.x !== undefined) out.x = Math.round(out.x / SNAP) * SNAP;
      if (out.y !== undefined) out.y = Math.round(out.y / SNAP) * SNAP;
    }
    if (out.rotation !== undefined) out.rotation = ((out.rotation % 360) + 360) % 360;
    const now = this.scene?.layout(id);
    // A drag repeats the same snapped position many times: write only what changes.
    for (const key of Object.keys(out) as Array<keyof LayoutFields>)
      if (now && now[key] === out[key]) delete out[key];
    if (Object.keys(out).length > 0) this.draft.set(id, out);
  }

  private turn(degrees: number): void {
    const id = this.selected;
    const layout = id === undefined ? undefined : this.scene?.layout(id);
    if (id && layout) this.edit(id, { rotation: layout.rotation + degrees });
  }

  private removeSelected(): void {
    if (!this.selected || !this.draft || !this.me.canCollaborate) return;
    this.draft.remove(this.selected);
    this.select(undefined);
  }

  private add(kind: DesignKind): void {
    if (!this.draft || !this.me.canCollaborate) return;
    const target = this.world.navigation.controls.target;
    const [width, depth, height] = NEW_SIZES[kind];
    const count = this.draft.ids().filter((id) => id.startsWith(ADDED_PREFIX)).length + 1;
    const id = this.draft.add({
      kind,
      name: `New ${kind} ${count}`,
      x: Math.round(target.x / SNAP) * SNAP,
      y: Math.round(-target.z / SNAP) * SNAP,
      rotation: 0,
      width,
      depth,
      height,
    });
    this.select(id);
  }

  private refreshPeople(): void {
    const provider = this.provider;
    if (!provider) return;
    const names: string[] = [];
    for (const [client, state] of provider.awareness.getStates()) {
      if (client === provider.awareness.clientID) continue;
      const user = (state as { user?: { name?: unknown } }).user;
      if (typeof user?.name === 'string') names.push(user.name);
    }
    this.hook.people = names;
    this.bar.people.textContent = names.length
      ? t('design.others', { names: names.join(', ') })
      : t('design.alone');
  }

  private refreshBar(): void {
    const draft = this.draft;
    const changes = draft?.changeCount() ?? 0;
    this.hook.changes = changes;
    this.hook.layouts = this.scene?.drawn() ?? {};
    this.bar.changes.textContent = t(changes === 1 ? 'design.change' : 'design.changes', { count: changes });
    this.bar.status.textContent = this.hook.synced ? 'connected' : this.bar.status.textContent;
    const id = this.selected;
    const layout = id === undefined ? undefined : this.scene?.layout(id);
    const name = id?.startsWith(ADDED_PREFIX)
      ? draft?.get(id)?.name
      : id && this.world.index.byId.get(id)?.name;
    this.bar.selectedName.textContent = id ? `${name ?? id}` : t('design.pick');
    for (const [input, value] of [
      [this.bar.x, layout?.x],
      [this.bar.y, layout?.y],
      [this.bar.rotation, layout?.rotation],
    ] as const) {
      input.disabled = !layout || !this.me.canCollaborate;
      if (document.activeElement !== input)
        input.value = value === undefined ? '' : String(Math.round(value * 1000) / 1000);
    }
  }

  private say(text: string): void {
    this.bar.message.textContent = text;
  }
}
