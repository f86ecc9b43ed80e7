// The presence feature of the world page (docs/world-presence.md): everyone in the world as an avatar
// where they look, a "Here now" list with Follow, and notes pinned on machines that everyone sees at
// once, all through the collaboration room `world` (PresenceRoom.ts).
import { cameraMoved, mayDelete, noteProblem, type Annotation } from '../../../src/core/wire-presence.js';
import { getJson } from '../api.js';
import { element } from '../dom.js';
import { t } from '../i18n/world-page.js';
import { onViewClick } from '../picking.js';
import type { WorldContext, WorldFeature } from '../world-context.js';
import { Avatars } from './Avatars.js';
import { Follow } from './Follow.js';
import { worldToPlant } from './frame.js';
import type { PresenceHook } from './hook-shape.js';
import { localUser, mayRename, saveName, type Me } from '../identity.js';
import { NoteOverlay } from './NoteOverlay.js';
import { NotesPanel } from './NotesPanel.js';
import { PeoplePanel } from './PeoplePanel.js';
import { Pins } from './Pins.js';
import { PresenceRoom } from './PresenceRoom.js';
import './presence.css';

/** Others learn of our camera at most this often: smooth enough once eased, light on the network. */
const PUBLISH_MS = 100;

export const installPresence: WorldFeature = async (world) => {
  const me = await getJson<Me>('/api/v1/world/me');
  let user = localUser(me);
  const room = new PresenceRoom(user);
  const hook: PresenceHook = {
    ready: false,
    connected: false,
    synced: false,
    clientId: room.clientId,
    name: user.name,
    colour: user.colour,
    role: user.role,
    canCollaborate: me.canCollaborate,
    people: [],
    following: null,
    annotations: [],
    pins: 0,
    placing: false,
  };
  world.hook.presence = hook;

  const nameOf = (twin: string): string => world.index.byId.get(twin)?.name ?? twin;
  const avatars = new Avatars(world.stage);
  const pins = new Pins(world.stage, world.index);
  const follow = new Follow(world.stage, world.navigation, (id) => room.people.get(id));
  const overlay = new NoteOverlay();
  world.viewport.append(overlay.root);

  const openNote = (annotation: Annotation): void => {
    follow.stop();
    world.select(annotation.twin);
    const remove =
      me.canCollaborate && mayDelete(annotation, user) ? () => room.remove(annotation.id) : undefined;
    overlay.show(annotation, nameOf(annotation.twin), remove);
  };
  const peoplePanel = new PeoplePanel(
    {
      rename(name) {
        saveName(name);
        user = localUser(me);
        room.setUser(user);
        peoplePanel.setUser(user);
        hook.name = user.name;
      },
      follow: (id) => follow.start(id),
      stopFollowing: () => follow.stop(),
      nameOf,
    },
    user,
    mayRename(me),
  );
  const notesPanel = new NotesPanel(nameOf, openNote, me.canCollaborate);
  world.leftPanels.append(peoplePanel.root, notesPanel.root);

  const refreshPeople = (): void => {
    follow.check();
    avatars.hidden = follow.following;
    const drawn = avatars.drawn();
    hook.people = [...room.people].map(([clientId, s]) => ({
      clientId,
      name: s.user.name,
      role: s.user.role,
      colour: s.user.colour,
      ...(s.camera ? { position: s.camera.position, target: s.camera.target } : {}),
      ...(drawn.has(clientId) ? { drawnAt: drawn.get(clientId) } : {}),
      ...(s.selected ? { selected: s.selected } : {}),
    }));
    hook.following = follow.following ?? null;
    peoplePanel.show(room.people, follow.following);
  };
  room.onPeople(() => {
    avatars.show(room.people);
    refreshPeople();
  });
  avatars.onMoved = refreshPeople;
  follow.onChange(refreshPeople);
  room.onAnnotations(() => {
    hook.annotations = room.annotations;
    hook.pins = pins.show(room.annotations);
    notesPanel.show(room.annotations);
    const shown = overlay.shownId;
    if (shown && !room.annotations.some((a) => a.id === shown)) overlay.close();
  });
  room.onStatus(() => {
    hook.connected = room.connected;
    hook.synced = room.synced;
    peoplePanel.setStatus(room.connected ? '' : t('presence.offline'));
  });

  publishCamera(world, room, hook);
  const pinButton = me.canCollaborate ? pinNotes(world, room, overlay, hook, () => user, nameOf) : undefined;
  openPinsOnClick(world, pins, openNote, () => hook.placing);
  if (pinButton) world.toolbar.append(pinButton);
  window.addEventListener('pagehide', () => room.provider.destroy());
  hook.ready = true;
};

/** Publishes our camera (at most every PUBLISH_MS, only when it moved) and our selection. */
function publishCamera(world: WorldContext, room: PresenceRoom, hook: PresenceHook): void {
  let since = PUBLISH_MS;
  let selected: string | undefined;
  world.stage.addTicker((seconds) => {
    since += seconds * 1000;
    if (since < PUBLISH_MS) return false;
    since = 0;
    const pose = {
      position: worldToPlant(world.stage.camera.position),
      target: worldToPlant(world.navigation.controls.target),
    };
    if (cameraMoved(hook.camera, pose)) {
      hook.camera = pose;
      room.setCamera(pose);
    }
    if (world.hook.selected !== selected) {
      selected = world.hook.selected;
      room.setSelected(selected);
    }
    return false;
  });
}

/** The "⚑ Pin note" button: the next click on a machine opens a form to pin a note on it. */
function pinNotes(
  world: WorldContext,
  room: PresenceRoom,
  overlay: NoteOverlay,
  hook: PresenceHook,
  user: () => ReturnType<typeof localUser>,
  nameOf: (twin: string) => string,
): HTMLButtonElement {
  const button = element('button', 'presence-pin-button', t('pin.button'));
  button.type = 'button';
  button.title = t('pin.title');
  const setPlacing = (on: boolean): void => {
    hook.placing = on;
    button.setAttribute('aria-pressed', String(on));
    world.viewport.classList.toggle('presence-placing', on);
  };
  setPlacing(false);
  button.addEventListener('click', () => {
    overlay.close();
    setPlacing(!hook.placing);
  });
  window.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && hook.placing) setPlacing(false);
  });
  onViewClick(world.stage, (raycaster) => {
    if (!hook.placing) return;
    const twin = world.meshes.pick(raycaster);
    // A click beside the machines keeps the pin mode on: the person aims again.
    if (twin === undefined || !world.index.extent(twin)) return;
    setPlacing(false);
    overlay.write(nameOf(twin), (text) => {
      // The machine may have gone from the scene since the click (a reload after a layout change).
      if (!world.index.byId.has(twin)) return t('pin.gone');
      const problem = noteProblem(text, room.annotations.length);
      if (problem) return problem;
      const author = user();
      room.add({
        id: randomId(),
        twin,
        text: text.trim(),
        // The server stamps name and role too; sending what it will stamp saves it a correction.
        author: { name: author.name, colour: author.colour, key: author.key, role: author.role },
        createdAt: Date.now(),
      });
      return undefined;
    });
  });
  return button;
}

/** A click on a pin (not while placing one) opens its note. */
function openPinsOnClick(
  world: WorldContext,
  pins: Pins,
  openNote: (annotation: Annotation) => void,
  placing: () => boolean,
): void {
  onViewClick(world.stage, (raycaster) => {
    if (placing()) return;
    const annotation = pins.pick(raycaster);
    if (annotation) openNote(annotation);
  });
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
