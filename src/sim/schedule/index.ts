// Job-shop scheduling: OR-Library and Taillard instances, dispatching rules and tabu-search improvement.
import { dispatch, DISPATCH_RULES, type DispatchOptions, type DispatchRule } from './dispatch.js';
import type { JobShopInstance, Schedule } from './instance.js';
import { improve, type ImproveOptions, type ImproveResult } from './tabu.js';

export { parseOrLibrary, formatOrLibrary } from './orlib.js';
export { parseTaillard, readTaillard, formatTaillard, type TaillardHeader } from './taillard.js';
export { taillardInstance, type TaillardSeeds } from './taillard-generator.js';
export { parseJobShop, detectJobShopFormat, type JobShopFormat } from './job-shop-text.js';
export {
  dispatch,
  dueDates,
  DISPATCH_RULES,
  DEFAULT_ATC_K,
  DEFAULT_DUE_DATE_FACTOR,
  type DispatchOptions,
  type DispatchRule,
} from './dispatch.js';
export { improve, type ImproveOptions, type ImproveResult } from './tabu.js';
export {
  lowerBound,
  validateInstance,
  validateSchedule,
  type Job,
  type JobShopInstance,
  type Operation,
  type Schedule,
  type ScheduleViolation,
} from './instance.js';
export { plantJobShop, variantRoute, type PlantJobShop, type PlantOrder } from './plant-orders.js';
export { ScheduleInstanceError, ScheduleOptionsError, isScheduleInstanceError } from './errors.js';

/** The shortest schedule of the dispatching rules (both modes), improved from there by tabu search. */
export function solve(
  instance: JobShopInstance,
  options: ImproveOptions & Omit<DispatchOptions, 'mode'> = {},
): ImproveResult & { readonly rule: DispatchRule } {
  let start: { rule: DispatchRule; schedule: Schedule } | undefined;
  for (const mode of ['non-delay', 'active'] as const) {
    for (const rule of DISPATCH_RULES) {
      const schedule = dispatch(instance, rule, { ...options, mode });
      if (start === undefined || schedule.makespan < start.schedule.makespan) start = { rule, schedule };
    }
  }
  return { ...improve(instance, start!.schedule, options), rule: start!.rule };
}
