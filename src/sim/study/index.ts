// Studies' public surface: definitions, the model contract, results, comparisons and the HTML report.
export {
  BASE_SCENARIO,
  STUDY_DEFAULTS,
  STUDY_LIMITS,
  mergeOverrides,
  parseStudyDefinition,
  studyScenarios,
  type NamedScenario,
  type StudyDefinition,
} from './definition.js';
export { parseDuration, formatDuration } from './duration.js';
export { StudyCancelledError, StudyDefinitionError, StudyRunError, isStudyCancelledError } from './errors.js';
export type {
  ModelSource,
  ReplicateFunction,
  ReplicationOutput,
  ReplicationRequest,
  ReplicationTraces,
  ScenarioOverrides,
  StudyModelModule,
} from './model.js';
export { CONFIDENCE_LEVEL, estimate, type MetricEstimate } from './estimate.js';
export { histogram, meanSeries, quantiles, type Histogram, type Quantiles } from './traces.js';
export { findBottleneck, stationIds, type Bottleneck } from './bottleneck.js';
export {
  KEY_METRICS,
  compareScenarios,
  pairedDifference,
  type KeyVerdict,
  type MetricDifference,
  type ScenarioComparison,
  type Verdict,
} from './compare.js';
export {
  STUDY_RESULT_FORMAT,
  summarizeScenario,
  summarizeStudy,
  type ScenarioResult,
  type ScenarioTraces,
  type StudyResult,
} from './result.js';
export {
  formatEstimate,
  formatNumber,
  formatSeconds,
  formatValue,
  metricUnit,
  stationLabel,
} from './format.js';
export { escapeHtml } from './escape-html.js';
export { renderStudyReport } from './report-html.js';
