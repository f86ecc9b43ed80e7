// Time travel in the 3D world: a strip to scrub from where history starts to now, play the past at
// 1×–100×, and return to live. Scrubbing paints every twin's state at that moment through
// world.paint; playing paints the changes after it, loaded ahead in chunks (docs/world-timeline.md).
import {
  changesOf,
  type WorldChangesAnswer,
  type WorldStatesAnswer,
} from '../../../src/core/wire-timeline.js';
import { getJson } from '../api.js';
import { element } from '../dom.js';
import { locale, t } from '../i18n/world-page.js';
import { warnOnce } from '../warn-once.js';
import type { WorldContext } from '../world-context.js';
import type { TimelineHook } from './hook-shape.js';
import {
  advance,
  ChangeBuffer,
  chunkMs,
  clockText,
  lookaheadMs,
  REPLAY_FIELDS,
  SPEEDS,
  timeInWords,
} from './playback.js';

const FIELDS = REPLAY_FIELDS.join(',');
/** Slider steps: fine enough to pick a second in an hour, coarse enough for a week. */
const SLIDER_STEPS = 10_000;
/** Changes per page: an hour of the demo plant at 100× is a few pages. */
const PAGE = 5000;

export class Timeline {
  readonly hook: TimelineHook = {
    ready: false,
    open: false,
    mode: 'live',
    time: Date.now(),
    speed: 10,
    playing: false,
    start: null,
    end: null,
    statesPainted: 0,
    changesPainted: 0,
    requests: 0,
  };
  readonly strip = element('div', 'timeline');
  readonly button = element('button', undefined, t('timeline.button'));
  private readonly banner = element('div', 'timeline-banner');
  private readonly slider = element('input');
  private readonly when = element('span', 'timeline-when');
  private readonly play = element('button', 'timeline-play', t('timeline.play'));
  private readonly live = element('button', 'timeline-live', t('timeline.live'));
  private readonly speeds = new Map<number, HTMLButtonElement>();
  /** Server clock minus ours, so "now" is the server's. */
  private clockOffset = 0;
  private buffer: ChangeBuffer | undefined;
  /** A changes page continued from here, when the last one stopped at its limit. */
  private resume: { from: number; to: number; continuation: string } | undefined;
  private loading = false;
  /** Bumped by each scrub and by going live: answers for an older one are dropped. */
  private generation = 0;
  private scrubTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFrame = 0;
  /** Replayed values of each twin, to show in the inspector when a twin is selected mid-replay. */
  private readonly replayed = new Map<string, Map<string, unknown>>();
  private inspectorShows: string | undefined;

  constructor(private readonly world: WorldContext) {
    this.button.type = 'button';
    this.button.title = t('timeline.title');
    this.button.setAttribute('aria-pressed', 'false');
    this.button.addEventListener('click', () => void this.toggle());
    this.buildStrip();
    this.banner.hidden = true;
    this.banner.setAttribute('role', 'status');
    setInterval(() => {
      this.refreshEnds();
      this.showSelectedReplayed();
    }, 500);
  }

  /** Opens or closes the strip; closing it returns to live. */
  async toggle(): Promise<void> {
    this.hook.open = !this.hook.open;
    this.strip.hidden = !this.hook.open;
    this.button.setAttribute('aria-pressed', String(this.hook.open));
    if (!this.hook.open) {
      this.goLive();
      return;
    }
    await this.loadRange();
  }

  /** Back to the present: live values paint again and every state is re-read. */
  goLive(): void {
    this.generation++;
    clearTimeout(this.scrubTimer);
    this.setPlaying(false);
    this.buffer = undefined;
    this.resume = undefined;
    this.replayed.clear();
    if (this.hook.mode === 'live') return;
    this.hook.mode = 'live';
    this.world.livePainting = true;
    document.body.dataset.timeline = 'live';
    this.banner.hidden = true;
    this.live.setAttribute('aria-pressed', 'true');
    this.world.inspector.followTime(undefined);
    this.refreshEnds();
    void this.world.resync();
  }

  /** Shows the plant as it was at `time` (clamped to the range), loading the state there. */
  async scrubTo(time: number): Promise<void> {
    const end = this.now();
    const start = this.hook.start ?? end;
    const at = Math.round(Math.min(Math.max(time, start), end));
    this.enterReplay(at);
    const generation = ++this.generation;
    this.buffer = undefined;
    this.resume = undefined;
    let answer: WorldStatesAnswer;
    try {
      answer = await getJson<WorldStatesAnswer>(`/api/v1/world/states?at=${at}&fields=${FIELDS}`);
    } catch (error) {
      this.failed(error);
      return;
    }
    if (generation !== this.generation) return;
    this.paintStates(answer);
    this.buffer = new ChangeBuffer(at);
    this.hook.changesPainted = 0;
    this.hook.requests = 0;
    if (this.hook.playing) void this.loadAhead();
  }

  setSpeed(speed: number): void {
    this.hook.speed = speed;
    for (const [s, button] of this.speeds) button.setAttribute('aria-pressed', String(s === speed));
  }

  setPlaying(playing: boolean): void {
    this.hook.playing = playing;
    this.play.textContent = playing ? t('timeline.pause') : t('timeline.play');
    this.play.setAttribute('aria-pressed', String(playing));
    if (!playing) return;
    this.lastFrame = performance.now();
    if (this.hook.mode === 'live') {
      // Playing from live starts a little in the past: an hour back, or where history starts.
      void this.scrubTo(Math.max(this.hook.start ?? 0, this.now() - 3_600_000));
    } else void this.loadAhead();
    requestAnimationFrame((t) => this.frame(t));
  }

  private buildStrip(): void {
    this.strip.hidden = true;
    this.strip.setAttribute('aria-label', t('timeline.label'));
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.max = String(SLIDER_STEPS);
    this.slider.value = String(SLIDER_STEPS);
    this.slider.className = 'timeline-slider';
    this.slider.setAttribute('aria-label', t('timeline.slider'));
    this.slider.addEventListener('input', () => {
      const time = this.sliderTime();
      this.enterReplay(time);
      // Paint at most every 150 ms while dragging: one states read per pause, not per pixel.
      clearTimeout(this.scrubTimer);
      this.scrubTimer = setTimeout(() => void this.scrubTo(time), 150);
    });
    this.play.type = 'button';
    this.play.addEventListener('click', () => this.setPlaying(!this.hook.playing));
    this.live.type = 'button';
    this.live.title = t('timeline.live.title');
    this.live.setAttribute('aria-pressed', 'true');
    this.live.addEventListener('click', () => this.goLive());
    const speeds = element('span', 'timeline-speeds');
    speeds.setAttribute('role', 'group');
    speeds.setAttribute('aria-label', t('timeline.speed'));
    for (const speed of SPEEDS) {
      const button = element('button', undefined, `${speed}×`);
      button.type = 'button';
      button.dataset.speed = String(speed);
      button.addEventListener('click', () => this.setSpeed(speed));
      this.speeds.set(speed, button);
      speeds.append(button);
    }
    this.setSpeed(this.hook.speed);
    const row = element('div', 'timeline-row');
    row.append(this.play, speeds, this.when, this.live);
    this.strip.append(this.slider, row);
  }

  /** Where history starts, and the server's now. */
  private async loadRange(): Promise<void> {
    try {
      const answer = await getJson<WorldStatesAnswer>('/api/v1/world/states?fields=state');
      this.clockOffset = answer.now - Date.now();
      this.hook.start = answer.earliest ?? answer.now;
      this.refreshEnds();
    } catch (error) {
      this.failed(error);
    }
  }

  private now(): number {
    return Date.now() + this.clockOffset;
  }

  /** Keeps the slider's right end at now, and the thumb there while live. */
  private refreshEnds(): void {
    const end = this.now();
    this.hook.end = end;
    if (this.hook.mode === 'live') this.hook.time = end;
    this.showTime();
  }

  private enterReplay(time: number): void {
    this.hook.time = time;
    if (this.hook.mode !== 'replay') {
      this.hook.mode = 'replay';
      this.world.livePainting = false;
      document.body.dataset.timeline = 'replay';
      this.banner.hidden = false;
      this.live.setAttribute('aria-pressed', 'false');
    }
    this.showTime();
  }

  private showTime(): void {
    const { start, end, time, mode } = this.hook;
    const now = end ?? this.now();
    if (start !== null && end !== null && end > start && document.activeElement !== this.slider) {
      this.slider.value = String(Math.round(((time - start) / (end - start)) * SLIDER_STEPS));
    }
    this.when.textContent =
      mode === 'live' ? t('timeline.now', { time: clockText(now) }) : timeInWords(time, now, t, locale);
    this.banner.textContent = t('timeline.replaying', { time: clockText(time) });
    this.world.inspector.followTime(mode === 'replay' ? time : undefined);
  }

  private sliderTime(): number {
    const end = this.now();
    const start = this.hook.start ?? end;
    return start + (Number(this.slider.value) / SLIDER_STEPS) * (end - start);
  }

  private paintStates(answer: WorldStatesAnswer): void {
    this.replayed.clear();
    let painted = 0;
    for (const [twin, values] of Object.entries(answer.states)) {
      this.paint(twin, Object.entries(values));
      painted++;
    }
    // A twin that reported a state later but none by then: show it as unknown, not as it is now.
    for (const [twin, state] of this.world.states) {
      if (state !== undefined && answer.states[twin]?.state === undefined)
        this.paint(twin, [['state', undefined]]);
    }
    this.hook.statesPainted = painted;
    this.inspectorShows = undefined;
    this.world.stage.requestRender();
  }

  private paint(twin: string, values: ReadonlyArray<readonly [string, unknown]>): void {
    let known = this.replayed.get(twin);
    if (known === undefined) this.replayed.set(twin, (known = new Map()));
    for (const [field, value] of values) known.set(field, value);
    this.world.paint({ twin, values });
  }

  private frame(at: number): void {
    if (!this.hook.playing) return;
    const buffer = this.buffer;
    if (buffer !== undefined && this.hook.mode === 'replay') {
      const end = this.now();
      const time = advance(this.hook.time, at - this.lastFrame, this.hook.speed, buffer.loadedUntil, end);
      for (const change of buffer.take(time)) {
        this.paint(change.twin, [[change.field, change.value]]);
        this.hook.changesPainted++;
      }
      this.hook.time = time;
      this.showTime();
      // Caught up with the present (within a fifth of a second of playback): live takes over from here.
      // Not before the changes up to the present are loaded: a play started near it replays them first.
      if (time >= end - Math.max(1000, this.hook.speed * 200) && buffer.loadedUntil >= end - 1000) {
        this.goLive();
        return;
      }
      if (buffer.loadedUntil - time < lookaheadMs(this.hook.speed)) void this.loadAhead();
    }
    this.showSelectedReplayed();
    this.lastFrame = at;
    requestAnimationFrame((t) => this.frame(t));
  }

  /** Loads the next chunk of changes after what is loaded (one request at a time). */
  private async loadAhead(): Promise<void> {
    const buffer = this.buffer;
    if (buffer === undefined || this.loading) return;
    const end = this.now();
    const from = this.resume?.from ?? buffer.loadedUntil;
    if (from >= end) return;
    const to = this.resume?.to ?? Math.min(end, from + chunkMs(this.hook.speed));
    const continuation = this.resume ? `&continuation=${encodeURIComponent(this.resume.continuation)}` : '';
    const generation = this.generation;
    this.loading = true;
    this.hook.requests++;
    try {
      const page = await getJson<WorldChangesAnswer>(
        `/api/v1/world/changes?from=${from}&to=${to}&fields=${FIELDS}&limit=${PAGE}${continuation}`,
      );
      if (generation !== this.generation || buffer !== this.buffer) return;
      buffer.add(changesOf(page), page.until);
      this.resume =
        page.continuation === undefined ? undefined : { from, to, continuation: page.continuation };
    } catch (error) {
      this.failed(error);
      this.setPlaying(false);
    } finally {
      this.loading = false;
    }
  }

  /** A twin selected mid-replay opens with its present values: show the replayed ones over them. */
  private showSelectedReplayed(): void {
    const id = this.world.inspector.selected;
    if (this.hook.mode !== 'replay' || id === undefined || id === this.inspectorShows) return;
    const values = this.replayed.get(id);
    if (values === undefined || this.world.inspector.apply(id, [...values])) this.inspectorShows = id;
  }

  private failed(error: unknown): void {
    this.hook.error = error instanceof Error ? error.message : String(error);
    this.when.textContent = t('timeline.failed', { error: this.hook.error });
    warnOnce('a timeline history read failed', error);
  }

  /** The banner over the 3D view that says the page shows the past. */
  get notice(): HTMLElement {
    return this.banner;
  }
}
