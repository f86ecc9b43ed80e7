// Where finished units leave the plant: counts them per variant and records their lead time.
import type { Random } from '../engine/index.js';
import { FlowNode, type PlantContext } from './flow.js';
import type { Unit } from './Unit.js';

/** Lead times kept for a distribution plot: a uniform sample of at most this many (reservoir sampling). */
export const LEAD_TIME_SAMPLE = 10_000;

export class Sink extends FlowNode {
  readonly perVariant = new Map<string, number>();
  /** Completions since the last statistics reset (warm-up deletion); per variant in perVariant. */
  completed = 0;

  constructor(
    id: string,
    context: PlantContext,
    private readonly sample: { values: number[]; seen: number; random: Random },
  ) {
    super(id, context);
  }

  canAccept(): boolean {
    return true;
  }

  accept(unit: Unit): void {
    const context = this.context;
    const now = context.sim.now;
    const lead = now - unit.created;
    context.completed++;
    context.wip.add(-1);
    context.leadTime.add(lead);
    this.completed++;
    this.perVariant.set(unit.variant, (this.perVariant.get(unit.variant) ?? 0) + 1);
    const sample = this.sample;
    const seen = ++sample.seen;
    if (sample.values.length < LEAD_TIME_SAMPLE) sample.values.push(lead);
    else {
      const j = Math.floor(sample.random.next() * seen);
      if (j < LEAD_TIME_SAMPLE) sample.values[j] = lead;
    }
    context.observer?.unitCompleted?.(unit, now);
  }

  /** Forgets the counts: the end of the warm-up. */
  reset(): void {
    this.completed = 0;
    this.perVariant.clear();
  }

  protected flush(): void {}
}
