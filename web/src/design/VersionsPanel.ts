// The saved layout versions in the left pane: save the open draft as a version, list versions,
// compare one with the plant as it is (a summary, changed objects outlined), run a study of it.
import type {
  LayoutComparison,
  LayoutStudyStarted,
  LayoutVersion,
  LayoutVersionSummary,
} from '../../../src/core/wire-layout.js';
import { getJson } from '../api.js';
import { element } from '../dom.js';
import * as i18n from '../i18n/world-page.js';
import type { DesignBar } from './design-bar.js';
import type { DesignHook } from './hook-shape.js';
import { describe, sendJson } from './http.js';

const STUDY_POLL_MS = 2000;
/** A study a person starts from the page: short enough to answer while they wait. */
const STUDY_OPTIONS = { horizon: '7d', warmup: '1d', replications: 5 };

export interface VersionsPanelOptions {
  readonly draft: () => string | undefined;
  readonly canEdit: boolean;
  /** Studies need a writer token, also in the local demo (they use the server's CPU). */
  readonly canStudy: boolean;
  readonly highlight: (objects: LayoutVersion['objects']) => void;
}

export class VersionsPanel {
  readonly root = element('section', 'design-versions');
  private readonly list = element('div', 'design-version-list');
  private readonly result = element('div', 'design-result');

  constructor(
    private readonly hook: DesignHook,
    private readonly bar: DesignBar,
    private readonly options: VersionsPanelOptions,
  ) {
    this.root.hidden = true;
    this.root.append(element('h3', undefined, i18n.t('versions.heading')), this.list, this.result);
    this.result.setAttribute('role', 'status');
    bar.save.addEventListener('click', () => void this.save());
    bar.versionName.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') void this.save();
    });
  }

  show(visible: boolean): void {
    this.root.hidden = !visible;
    if (visible) void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const { value } = await getJson<{ value: LayoutVersionSummary[] }>('/api/v1/layouts/versions');
      this.hook.versions = value.map((v) => v.name);
      this.list.replaceChildren(
        ...(value.length
          ? value.map((v) => this.row(v))
          : [element('p', 'design-empty', i18n.t('versions.none'))]),
      );
    } catch (error) {
      this.list.replaceChildren(
        element('p', 'design-empty', i18n.t('versions.failed', { error: describe(error) })),
      );
    }
  }

  private row(version: LayoutVersionSummary): HTMLElement {
    const row = element('div', 'design-version');
    row.dataset.id = version.id;
    const title = element('div', 'design-version-name', version.name);
    const meta = element(
      'div',
      'design-version-meta',
      `${i18n.t(version.changes === 1 ? 'design.change' : 'design.changes', { count: version.changes })} · ${version.createdBy} · ${i18n.format.dateTime(new Date(version.createdAt))}`,
    );
    const compare = element('button', undefined, i18n.t('versions.compare'));
    compare.type = 'button';
    compare.name = 'compare';
    compare.addEventListener('click', () => void this.compare(version));
    const study = element('button', undefined, i18n.t('versions.study'));
    study.type = 'button';
    study.name = 'study';
    study.disabled = !this.options.canStudy;
    study.title = i18n.t(this.options.canStudy ? 'versions.study.title' : 'versions.study.forbidden');
    study.addEventListener('click', () => void this.study(version));
    row.append(title, meta, compare, study);
    return row;
  }

  private async save(): Promise<void> {
    const draft = this.options.draft();
    const name = this.bar.versionName.value.trim();
    if (!draft) return this.sayBar(i18n.t('versions.noDraft'));
    if (!name) return this.sayBar(i18n.t('versions.noName'));
    this.bar.save.disabled = true;
    try {
      const version = await sendJson<LayoutVersion>('POST', '/api/v1/layouts/versions', { name, draft });
      this.sayBar(i18n.t('versions.saved', { name: version.name, count: version.changes }));
      this.bar.versionName.value = '';
      await this.refresh();
    } catch (error) {
      this.sayBar(describe(error));
    } finally {
      this.bar.save.disabled = !this.options.canEdit;
    }
  }

  private async compare(summary: LayoutVersionSummary): Promise<void> {
    try {
      const [diff, version] = await Promise.all([
        getJson<LayoutComparison>(`/api/v1/layouts/versions/${summary.id}/compare`),
        getJson<LayoutVersion>(`/api/v1/layouts/versions/${summary.id}`),
      ]);
      const t = diff.totals;
      this.hook.comparison = {
        version: summary.name,
        moved: t.moved,
        rotated: t.rotated,
        added: t.added,
        removed: t.removed,
        distance: t.distance,
      };
      const changed = new Set(
        [...diff.moved, ...diff.rotated, ...diff.resized, ...diff.added, ...diff.removed].map((c) => c.id),
      );
      this.options.highlight(version.objects.filter((o) => changed.has(o.id)));
      const lines = [
        i18n.t(t.changed === 1 ? 'compare.differs.one' : 'compare.differs', {
          name: summary.name,
          count: t.changed,
        }),
        ...diff.moved.map((m) => i18n.t('compare.moved', { name: m.name, distance: m.distance.toFixed(1) })),
        ...diff.rotated.map((r) =>
          i18n.t('compare.turned', { name: r.name, degrees: `${r.degrees > 0 ? '+' : ''}${r.degrees}` }),
        ),
        ...diff.resized.map((r) =>
          i18n.t('compare.resized', { name: r.name, size: `${r.to.width}×${r.to.depth}×${r.to.height}` }),
        ),
        ...diff.added.map((a) => i18n.t('compare.added', { name: a.name, kind: a.kind })),
        ...diff.removed.map((r) => i18n.t('compare.removed', { name: r.name })),
        ...(diff.missing.length ? [i18n.t('compare.missing', { count: diff.missing.length })] : []),
        i18n.t('compare.distance', { distance: t.distance.toFixed(1) }),
      ];
      this.result.replaceChildren(
        ...lines.map((line, i) => element(i === 0 ? 'strong' : 'div', undefined, line)),
      );
    } catch (error) {
      this.result.textContent = i18n.t('compare.failed', { error: describe(error) });
    }
  }

  private async study(version: LayoutVersionSummary): Promise<void> {
    this.result.textContent = i18n.t('study.starting', { name: version.name });
    try {
      const started = await sendJson<LayoutStudyStarted>(
        'POST',
        `/api/v1/layouts/versions/${version.id}/study`,
        STUDY_OPTIONS,
      );
      this.hook.study = { id: started.study, status: started.status };
      const link = element('a', undefined, i18n.t('study.link'));
      link.href = started.location;
      link.target = '_blank';
      const status = element('span', undefined, started.status);
      const line = element('div');
      line.append(`“${version.name}”: `, link, ' ', status);
      const notes = started.notApplied.length
        ? [
            element(
              'div',
              'design-version-meta',
              i18n.t('study.notApplied', {
                count: started.notApplied.length,
                reasons: started.notApplied
                  .map((n) => n.reason)
                  .filter((r, i, all) => all.indexOf(r) === i)
                  .join('; '),
              }),
            ),
          ]
        : [];
      this.result.replaceChildren(line, ...notes);
      void this.follow(started, status, line);
    } catch (error) {
      this.result.textContent = i18n.t('study.failed', { error: describe(error) });
    }
  }

  /** Polls the study until it ends, then links its report. */
  private async follow(started: LayoutStudyStarted, status: HTMLElement, line: HTMLElement): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, STUDY_POLL_MS));
      const record = await getJson<{ status: string; progress?: { done?: number; total?: number } }>(
        started.location,
      ).catch(() => undefined);
      if (!record) return;
      this.hook.study = { id: started.study, status: record.status };
      const p = record.progress;
      status.textContent = p?.total ? `${record.status} ${p.done ?? 0}/${p.total}` : record.status;
      if (record.status === 'done') {
        const report = element('a', undefined, i18n.t('study.report'));
        report.href = started.report;
        report.target = '_blank';
        line.append(' · ', report);
        return;
      }
      if (record.status !== 'running' && record.status !== 'queued') return;
    }
  }

  private sayBar(text: string): void {
    this.bar.message.textContent = text;
  }
}
