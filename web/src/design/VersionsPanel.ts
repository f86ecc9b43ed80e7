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
    this.root.append(element('h3', undefined, 'Layout versions'), this.list, this.result);
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
          : [element('p', 'design-empty', 'No version saved yet.')]),
      );
    } catch (error) {
      this.list.replaceChildren(element('p', 'design-empty', `Could not list versions: ${describe(error)}`));
    }
  }

  private row(version: LayoutVersionSummary): HTMLElement {
    const row = element('div', 'design-version');
    row.dataset.id = version.id;
    const title = element('div', 'design-version-name', version.name);
    const meta = element(
      'div',
      'design-version-meta',
      `${version.changes} change${version.changes === 1 ? '' : 's'} · ${version.createdBy} · ${new Date(version.createdAt).toLocaleString()}`,
    );
    const compare = element('button', undefined, 'Compare');
    compare.type = 'button';
    compare.name = 'compare';
    compare.addEventListener('click', () => void this.compare(version));
    const study = element('button', undefined, 'Run study');
    study.type = 'button';
    study.name = 'study';
    study.disabled = !this.options.canStudy;
    study.title = this.options.canStudy
      ? 'Simulate the plant with this layout (7 days, 5 replications)'
      : 'Running a study needs a writer token';
    study.addEventListener('click', () => void this.study(version));
    row.append(title, meta, compare, study);
    return row;
  }

  private async save(): Promise<void> {
    const draft = this.options.draft();
    const name = this.bar.versionName.value.trim();
    if (!draft) return this.sayBar('Open a draft first.');
    if (!name) return this.sayBar('Name the version first.');
    this.bar.save.disabled = true;
    try {
      const version = await sendJson<LayoutVersion>('POST', '/api/v1/layouts/versions', { name, draft });
      this.sayBar(`Saved “${version.name}” (${version.changes} changes).`);
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
        `“${summary.name}” against the plant now: ${t.changed} object${t.changed === 1 ? '' : 's'} differ.`,
        ...diff.moved.map((m) => `Moved ${m.name} by ${m.distance.toFixed(1)} m`),
        ...diff.rotated.map((r) => `Turned ${r.name} by ${r.degrees > 0 ? '+' : ''}${r.degrees}°`),
        ...diff.resized.map((r) => `Resized ${r.name} to ${r.to.width}×${r.to.depth}×${r.to.height} m`),
        ...diff.added.map((a) => `Added ${a.name} (${a.kind})`),
        ...diff.removed.map((r) => `Removed ${r.name}`),
        ...(diff.missing.length ? [`${diff.missing.length} changed twin(s) are no longer in the plant`] : []),
        `Total distance moved: ${t.distance.toFixed(1)} m`,
      ];
      this.result.replaceChildren(
        ...lines.map((line, i) => element(i === 0 ? 'strong' : 'div', undefined, line)),
      );
    } catch (error) {
      this.result.textContent = `Could not compare: ${describe(error)}`;
    }
  }

  private async study(version: LayoutVersionSummary): Promise<void> {
    this.result.textContent = `Starting a study of “${version.name}”…`;
    try {
      const started = await sendJson<LayoutStudyStarted>(
        'POST',
        `/api/v1/layouts/versions/${version.id}/study`,
        STUDY_OPTIONS,
      );
      this.hook.study = { id: started.study, status: started.status };
      const link = element('a', undefined, 'study');
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
              `${started.notApplied.length} change(s) not simulated: ${started.notApplied
                .map((n) => n.reason)
                .filter((r, i, all) => all.indexOf(r) === i)
                .join('; ')}`,
            ),
          ]
        : [];
      this.result.replaceChildren(line, ...notes);
      void this.follow(started, status, line);
    } catch (error) {
      this.result.textContent = `Could not start the study: ${describe(error)}`;
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
        const report = element('a', undefined, 'open the report');
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
