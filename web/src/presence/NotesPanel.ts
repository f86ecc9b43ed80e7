// "Notes" in the left pane: every pinned note in the plant, newest last; a click selects its machine.
import type { Annotation } from '../../../src/core/wire-presence.js';
import { element } from '../dom.js';
import { t } from '../i18n/world-page.js';
import { noteTime, shorten } from './text.js';

export class NotesPanel {
  readonly root = element('section', 'presence-panel');
  private readonly heading = element('h3');
  private readonly list = element('ul', 'presence-notes');
  private readonly hint = element('p', 'muted');

  constructor(
    private readonly nameOf: (twin: string) => string,
    private readonly open: (annotation: Annotation) => void,
    canCollaborate: boolean,
  ) {
    this.root.id = 'presence-notes';
    this.hint.textContent = canCollaborate ? t('notes.hint') : t('notes.readOnly');
    this.root.append(this.heading, this.list, this.hint);
    this.show([]);
  }

  show(annotations: readonly Annotation[]): void {
    this.heading.textContent = t('notes.heading', { count: annotations.length });
    this.list.replaceChildren();
    for (const annotation of annotations) {
      const row = element('li', 'presence-note');
      row.dataset.id = annotation.id;
      row.tabIndex = 0;
      row.title = annotation.text;
      const swatch = element('span', 'swatch');
      swatch.style.background = annotation.author.colour;
      const body = element('div');
      body.append(
        element('div', 'presence-note-text', shorten(annotation.text, 80)),
        element(
          'div',
          'muted',
          `${this.nameOf(annotation.twin)} · ${annotation.author.name} · ${noteTime(annotation.createdAt)}`,
        ),
      );
      row.append(swatch, body);
      row.addEventListener('click', () => this.open(annotation));
      row.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') this.open(annotation);
      });
      this.list.append(row);
    }
  }
}
