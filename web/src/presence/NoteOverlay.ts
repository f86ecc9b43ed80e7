// The card over the 3D view for notes: a form to write a new note on a machine, or one note shown with
// its author and time (and a Delete button for its author or an admin).
import { MAX_NOTE_CHARS, type Annotation } from '../../../src/core/wire-presence.js';
import { element } from '../dom.js';
import { t } from '../i18n/world-page.js';
import { noteTime } from './text.js';

export class NoteOverlay {
  readonly root = element('div', 'presence-card');

  constructor() {
    this.root.id = 'presence-card';
    this.root.hidden = true;
    this.root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
    });
  }

  close(): void {
    this.root.hidden = true;
    this.root.replaceChildren();
  }

  /** Asks for a note on `machine`; `save` returns a problem to show, or undefined when it was added. */
  write(machine: string, save: (text: string) => string | undefined): void {
    const form = element('form', 'presence-form');
    const text = element('textarea');
    text.maxLength = MAX_NOTE_CHARS;
    text.rows = 3;
    text.placeholder = t('note.placeholder', { machine });
    text.setAttribute('aria-label', t('note.label'));
    const problem = element('p', 'presence-problem');
    problem.setAttribute('role', 'alert');
    const count = element('span', 'muted', `0 / ${MAX_NOTE_CHARS}`);
    text.addEventListener('input', () => (count.textContent = `${text.value.length} / ${MAX_NOTE_CHARS}`));
    const ok = element('button', 'presence-save', t('note.save'));
    ok.type = 'submit';
    const cancel = element('button', undefined, t('note.cancel'));
    cancel.type = 'button';
    cancel.addEventListener('click', () => this.close());
    const buttons = element('div', 'presence-buttons');
    buttons.append(count, cancel, ok);
    form.append(element('strong', undefined, t('note.heading', { machine })), text, problem, buttons);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const why = save(text.value);
      if (why) problem.textContent = why;
      else this.close();
    });
    text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    this.root.replaceChildren(form);
    this.root.hidden = false;
    text.focus();
  }

  /** Shows one note; `remove` is given only when this person may delete it. */
  show(annotation: Annotation, machine: string, remove: (() => void) | undefined): void {
    const card = element('div', 'presence-note-card');
    card.dataset.id = annotation.id;
    const head = element('div', 'presence-card-head');
    const swatch = element('span', 'swatch');
    swatch.style.background = annotation.author.colour;
    head.append(swatch, element('strong', undefined, annotation.author.name));
    head.append(
      element('span', 'muted', ` · ${noteTime(annotation.createdAt)} · ${t('note.on', { machine })}`),
    );
    const buttons = element('div', 'presence-buttons');
    if (remove) {
      const del = element('button', 'presence-delete', t('note.delete'));
      del.type = 'button';
      del.addEventListener('click', () => {
        remove();
        this.close();
      });
      buttons.append(del);
    }
    const close = element('button', undefined, t('note.close'));
    close.type = 'button';
    close.addEventListener('click', () => this.close());
    buttons.append(close);
    card.append(head, element('p', 'presence-note-body', annotation.text), buttons);
    this.root.replaceChildren(card);
    this.root.hidden = false;
  }

  /** The note shown now, if a note is shown. */
  get shownId(): string | undefined {
    if (this.root.hidden) return undefined;
    return this.root.querySelector<HTMLElement>('.presence-note-card')?.dataset.id;
  }
}
