// A short tour for a first-time visitor: what the colours mean and what each button does. Shown once
// per browser (remembered in localStorage), and again from the "?" button.
import { element } from './dom.js';

const SEEN_KEY = 'imverse.welcomed';

const TIPS: ReadonlyArray<readonly [title: string, text: string]> = [
  [
    'Live plant',
    'Every machine is coloured by its state right now; the legend at the bottom says which colour is which.',
  ],
  [
    'Look around',
    'Drag to orbit, right-drag to pan, scroll to zoom, W A S D to fly. ⌂ brings the whole plant back.',
  ],
  [
    'Inspect',
    'Click a machine, or find it in the tree or the search box, to see its live values and history.',
  ],
  ['◷ Timeline', 'Replay what the plant did earlier, up to 100× faster, then return to live.'],
  [
    'Here now',
    'Others in the world show as avatars and in the list on the left; follow someone’s view, or ⚑ pin a note on a machine.',
  ],
  [
    '✎ Design',
    'Move, turn, add and remove equipment together with others, then save the layout and simulate it.',
  ],
  ['Dashboard', 'Throughput, OEE and alarms per line as numbers and charts: the link at the top.'],
];

export function installWelcome(viewport: HTMLElement, toolbar: HTMLElement, plantName: string): void {
  const card = element('div', 'welcome');
  card.setAttribute('role', 'dialog');
  card.setAttribute('aria-label', 'Welcome');
  const close = element('button', 'welcome-close', 'Got it');
  close.type = 'button';
  const list = element('dl');
  for (const [title, text] of TIPS)
    list.append(element('dt', undefined, title), element('dd', undefined, text));
  card.append(element('h2', undefined, `Welcome to ${plantName}`), list, close);
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
  help.title = 'What can I do here?';
  help.addEventListener('click', () => {
    card.hidden = !card.hidden;
    if (!card.hidden) close.focus();
  });
  toolbar.append(help);
}
