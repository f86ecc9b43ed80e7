// The design feature of the world page: a "✎ Design" button opens collaborative layout design on a
// shared draft (DesignMode), and the saved versions panel (VersionsPanel) in the left pane.
import { getJson } from '../api.js';
import { element } from '../dom.js';
import { t } from '../i18n/world-page.js';
import type { WorldFeature } from '../world-context.js';
import { buildDesignBar } from './design-bar.js';
import './design.css';
import { localUser, type Me as WhoAmI } from '../identity.js';
import { DesignMode, type Me } from './DesignMode.js';
import type { DesignHook } from './hook-shape.js';
import { VersionsPanel } from './VersionsPanel.js';

const DEFAULT_DRAFT = 'main';

function initialDraft(): string {
  const fromUrl = new URLSearchParams(location.search).get('design');
  if (fromUrl) return fromUrl;
  try {
    return localStorage.getItem('imverse.design.draft') ?? DEFAULT_DRAFT;
  } catch {
    return DEFAULT_DRAFT;
  }
}

export const installDesign: WorldFeature = async (world) => {
  const hook: DesignHook = {
    ready: false,
    active: false,
    synced: false,
    canEdit: false,
    changes: 0,
    people: [],
    layouts: {},
    versions: [],
  };
  world.hook.design = hook;
  const whoAmI = await getJson<WhoAmI>('/api/v1/world/me').catch((): WhoAmI => ({
    name: 'someone',
    role: 'viewer',
    via: 'token',
    canCollaborate: false,
  }));
  // The same name people see on this person's avatar ("Visitor 3F2A" in the demo, or the one they chose).
  const me: Me = { ...whoAmI, name: localUser(whoAmI).name };
  hook.canEdit = me.canCollaborate;

  const bar = buildDesignBar(initialDraft());
  world.viewport.append(bar.root);
  // Opening a draft shows the versions panel (created right after: the mode opens no draft before).
  const mode = new DesignMode(world, hook, me, bar, () => versions.show(true));
  const versions = new VersionsPanel(hook, bar, {
    draft: () => mode.draftName,
    canEdit: me.canCollaborate,
    canStudy: me.role === 'operator' || me.role === 'engineer' || me.role === 'admin',
    highlight: (objects) => mode.highlight(objects),
  });
  world.leftPanels.append(versions.root);

  const toggle = element('button', 'design-toggle', t('design.toggle'));
  toggle.type = 'button';
  toggle.title = t(me.canCollaborate ? 'design.toggle.title' : 'design.toggle.view');
  toggle.setAttribute('aria-pressed', 'false');
  toggle.addEventListener('click', () => {
    if (mode.active) {
      mode.close();
      versions.show(false);
    } else mode.open(bar.draftName.value.trim() || DEFAULT_DRAFT);
    toggle.setAttribute('aria-pressed', String(mode.active));
  });
  world.toolbar.append(toggle);

  if (new URLSearchParams(location.search).has('design')) toggle.click();
  hook.ready = true;
};
