// A short tour for a first-time visitor: what the colours mean and what each button does. Shown once
// per browser (remembered in localStorage), and again from the "?" button.
import { element } from './dom.js';
import type { WorldKey } from './i18n/world.js';
import { t } from './i18n/world-page.js';

const SEEN_KEY = 'imverse.welcomed';

const TIPS: ReadonlyArray<WorldKey> = [
  'tip.live',
  'tip.look',
  'tip.inspect',
  'tip.timeline',
  'tip.here',
  'tip.design',
  'tip.dashboard',
];

export function installWelcome(viewport: HTMLElement, toolbar: HTMLElement, plantName: string): void {
  const card = element('div', 'welcome');
  card.setAttribute('role', 'dialog');
  card.setAttribute('aria-label', t('welcome.label'));
  const close = element('button', 'welcome-close', t('welcome.close'));
  close.type = 'button';
  const list = element('dl');
  for (const tip of TIPS) {
    list.append(element('dt', undefined, t(tip)), element('dd', undefined, t(`${tip}.text` as WorldKey)));
  }
  card.append(element('h2', undefined, t('welcome.heading', { plant: plantName })), list, close);
  const hide = (): void => {
    card.hidden = true;
    localStorage.setItem(SEEN_KEY, '1');
  };
  close.addEventListener('click', hide);
  card.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hide();
  });
  card.hidden = localStorage.getItem(SEEN_KEY) === '1';
  viewport.append(card);

  const help = element('button', undefined, '?');
  help.type = 'button';
  help.title = t('welcome.help');
  help.addEventListener('click', () => {
    card.hidden = !card.hidden;
    if (!card.hidden) close.focus();
  });
  toolbar.append(help);
}
