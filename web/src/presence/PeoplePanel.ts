// "Here now" in the left pane: your own name (editable) and everyone else in the world with their
// colour, role and what they are looking at, each with a button to follow their view.
import type { PresenceState, PresenceUser } from '../../../src/core/wire-presence.js';
import { MAX_NAME_CHARS } from '../../../src/core/wire-presence.js';
import { element } from '../dom.js';
import { t } from '../i18n/world-page.js';

export interface PeoplePanelActions {
  rename(name: string): void;
  follow(id: number): void;
  stopFollowing(): void;
  /** A twin's display name, for "looking at Press 07". */
  nameOf(twin: string): string;
}

export class PeoplePanel {
  readonly root = element('section', 'presence-panel');
  private readonly heading = element('h3');
  private readonly nameInput = element('input', 'presence-name');
  private readonly selfSwatch = element('span', 'swatch');
  private readonly list = element('ul', 'presence-people');
  private readonly status = element('p', 'muted presence-status');
  private shown = '';

  constructor(
    private readonly actions: PeoplePanelActions,
    user: PresenceUser,
    /** Only demo visitors choose their name; others show their token's, as the server stamps it. */
    mayRename: boolean,
  ) {
    this.root.id = 'presence-people';
    this.nameInput.type = 'text';
    this.nameInput.readOnly = !mayRename;
    this.nameInput.maxLength = MAX_NAME_CHARS;
    this.nameInput.title = t('people.name.title');
    this.nameInput.setAttribute('aria-label', t('people.name'));
    this.nameInput.addEventListener('change', () => actions.rename(this.nameInput.value));
    this.nameInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.nameInput.blur();
    });
    const self = element('div', 'presence-self');
    self.append(this.selfSwatch, element('span', 'muted', t('people.you')), this.nameInput);
    this.root.append(this.heading, self, this.status, this.list);
    this.setUser(user);
    this.setStatus(t('people.connecting'));
  }

  setUser(user: PresenceUser): void {
    this.nameInput.value = user.name;
    this.selfSwatch.style.background = user.colour;
  }

  setStatus(text: string): void {
    this.status.textContent = text;
    this.status.hidden = text === '';
  }

  show(people: ReadonlyMap<number, PresenceState>, following: number | undefined): void {
    // Cameras change ~10×/s and the rows do not show them: redraw only when something shown changed,
    // so a button is never replaced under the pointer.
    const shown = JSON.stringify([
      following,
      [...people].map(([id, s]) => [id, s.user.name, s.user.role, s.user.colour, s.selected, !!s.camera]),
    ]);
    if (shown === this.shown) return;
    this.shown = shown;
    this.heading.textContent = t('people.heading', { count: people.size + 1 });
    this.list.replaceChildren();
    if (people.size === 0) {
      this.list.append(element('li', 'muted', t('people.alone')));
      return;
    }
    const sorted = [...people].sort(([, a], [, b]) => a.user.name.localeCompare(b.user.name));
    for (const [id, state] of sorted) {
      const row = element('li', 'presence-person');
      row.dataset.client = String(id);
      if (id === following) row.classList.add('following');
      const swatch = element('span', 'swatch');
      swatch.style.background = state.user.colour;
      const who = element('div', 'presence-who');
      const name = element('span', 'presence-person-name', state.user.name);
      who.append(name, element('span', 'kind', state.user.role));
      const looking = element(
        'div',
        'muted presence-looking',
        state.selected
          ? t('people.lookingAt', { name: this.actions.nameOf(state.selected) })
          : t('people.looking'),
      );
      who.append(looking);
      const button = element(
        'button',
        'presence-follow',
        t(id === following ? 'people.unfollow' : 'people.follow'),
      );
      button.type = 'button';
      button.disabled = !state.camera;
      button.title = state.camera
        ? t('people.follow.title', { name: state.user.name })
        : t('people.follow.unknown');
      button.addEventListener('click', () =>
        id === following ? this.actions.stopFollowing() : this.actions.follow(id),
      );
      row.append(swatch, who, button);
      this.list.append(row);
    }
  }
}
