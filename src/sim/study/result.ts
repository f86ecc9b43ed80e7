// The result of a study: per scenario every metric's mean and 95% interval, traces, bottleneck; then comparisons.
import { findBottleneck, type Bottleneck } from './bottleneck.js';
import { compareScenarios, type ScenarioComparison } from './compare.js';
import { studyScenarios, type StudyDefinition } from './definition.js';
import { estimate, orNull, type MetricEstimate } from './estimate.js';
import type { ReplicationOutput, ScenarioOverrides } from './model.js';
import { histogram, meanSeries, quantiles, type Histogram, type Quantiles } from './traces.js';

export const STUDY_RESULT_FORMAT = 'imverse-study-result/v1';

export interface ScenarioTraces {
  /** Mean over replications of the units finished in each simulated hour after the warm-up. */
  readonly throughputPerHour: readonly number[];
  readonly wipPerHour: readonly number[];
  /** Lead times (seconds) of all units of all replications. */
  readonly leadTime: Histogram & { readonly quantiles: Quantiles };
}

export interface ScenarioResult {
  readonly name: string;
  /** The overrides this scenario ran with (the base's merged under its own). */
  readonly overrides: ScenarioOverrides;
  readonly metrics: Readonly<Record<string, MetricEstimate>>;
  /** Each replication's metrics, in replication order: what the comparisons pair. */
  readonly replications: readonly Readonly<Record<string, number | null>>[];
  readonly traces: ScenarioTraces;
  readonly bottleneck: Bottleneck | null;
  readonly events: number;
}

export interface StudyResult {
  readonly format: typeof STUDY_RESULT_FORMAT;
  readonly study: StudyDefinition;
  /** The plant (model) file the study ran. */
  readonly plant: string;
  /** Station names by id, as the model gave them; absent from results stored before names were kept. */
  readonly stationNames?: Readonly<Record<string, string>>;
  readonly confidenceLevel: number;
  /** Base first, then the alternatives in the order written. */
  readonly scenarios: readonly ScenarioResult[];
  /** Each alternative against the base. */
  readonly comparisons: readonly ScenarioComparison[];
}

/**
 * Combines the replication outputs, `outputs[s][r]` being scenario s (in studyScenarios order) and
 * replication r. Pure and order-fixed, so a parallel run summarises to exactly what a serial one does.
 */
export function summarizeStudy(
  study: StudyDefinition,
  plant: string,
  outputs: readonly (readonly ReplicationOutput[])[],
): StudyResult {
  const scenarios = studyScenarios(study).map((scenario, s) =>
    summarizeScenario(scenario.name, scenario.overrides, outputs[s] ?? []),
  );
  const [base, ...alternatives] = scenarios;
  const stationNames: Record<string, string> = {};
  for (const output of outputs.flat()) Object.assign(stationNames, output.stationNames);
  return {
    format: STUDY_RESULT_FORMAT,
    study,
    plant,
    stationNames,
    confidenceLevel: 0.95,
    scenarios,
    comparisons:
      base === undefined ? [] : alternatives.map((alternative) => compareScenarios(base, alternative)),
  };
}

export function summarizeScenario(
  name: string,
  overrides: ScenarioOverrides,
  outputs: readonly ReplicationOutput[],
): ScenarioResult {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const output of outputs) {
    for (const metric of Object.keys(output.metrics)) {
      if (!seen.has(metric)) {
        seen.add(metric);
        names.push(metric);
      }
    }
  }
  // Rows keep the model's metric order (stations in plant order); the summary is sorted by name.
  const replications = outputs.map((output) =>
    Object.fromEntries(names.map((metric) => [metric, orNull(output.metrics[metric] ?? NaN)])),
  );
  const metrics: Record<string, MetricEstimate> = {};
  for (const metric of [...names].sort())
    metrics[metric] = estimate(replications.map((row) => row[metric] ?? null));
  const leadTimes = outputs.flatMap((output) => output.traces.leadTimes);
  return {
    name,
    overrides,
    metrics,
    replications,
    traces: {
      throughputPerHour: meanSeries(outputs.map((o) => o.traces.throughputPerHour)),
      wipPerHour: meanSeries(outputs.map((o) => o.traces.wipPerHour)),
      leadTime: { ...histogram(leadTimes), quantiles: quantiles(leadTimes) },
    },
    bottleneck: findBottleneck(metrics, replications),
    events: outputs.reduce((sum, o) => sum + o.events, 0),
  };
}
