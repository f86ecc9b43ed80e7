// How many studies the platform queues and keeps, and how large one may be: checked before any work starts.
import { DEFAULT_CONFIG, type Config } from '../../core/config.js';
import { ImverseError, type Issue } from '../../core/errors.js';
import { studyScenarios, type StudyDefinition } from '../../sim/study/index.js';

export type StudyLimits = Pick<
  Config,
  | 'studyMaxQueued'
  | 'studyMaxQueuedPerTenant'
  | 'studyMaxStored'
  | 'studyMaxReplications'
  | 'studyMaxScenarios'
  | 'studyMaxSimulatedDays'
>;

export function studyLimitsOf(config: Partial<StudyLimits> = {}): StudyLimits {
  return {
    studyMaxQueued: config.studyMaxQueued ?? DEFAULT_CONFIG.studyMaxQueued,
    studyMaxQueuedPerTenant: config.studyMaxQueuedPerTenant ?? DEFAULT_CONFIG.studyMaxQueuedPerTenant,
    studyMaxStored: config.studyMaxStored ?? DEFAULT_CONFIG.studyMaxStored,
    studyMaxReplications: config.studyMaxReplications ?? DEFAULT_CONFIG.studyMaxReplications,
    studyMaxScenarios: config.studyMaxScenarios ?? DEFAULT_CONFIG.studyMaxScenarios,
    studyMaxSimulatedDays: config.studyMaxSimulatedDays ?? DEFAULT_CONFIG.studyMaxSimulatedDays,
  };
}

const DAY = 86_400;

/**
 * The simulated time a study costs: every replication of every scenario runs warm-up and horizon.
 * A study without its own warm-up runs the model's (`modelWarmup`, known once the plant is compiled).
 */
export function simulatedDays(study: StudyDefinition, modelWarmup = 0): number {
  const runs = study.replications * studyScenarios(study).length;
  return (runs * ((study.warmup ?? modelWarmup) + study.horizon)) / DAY;
}

/**
 * Throws IMV_STUDY_TOO_LARGE listing each limit the study exceeds. Called before any work with the
 * study alone, and again once the plant is compiled with the warm-up its file states.
 */
export function checkStudySize(study: StudyDefinition, limits: StudyLimits, modelWarmup = 0): void {
  const issues: Issue[] = [];
  if (study.replications > limits.studyMaxReplications) {
    issues.push({
      path: '/replications',
      message: `${study.replications} replications; this platform runs at most ${limits.studyMaxReplications}`,
    });
  }
  if (study.scenarios.length > limits.studyMaxScenarios) {
    issues.push({
      path: '/scenarios',
      message: `${study.scenarios.length} scenarios besides the base; this platform runs at most ${limits.studyMaxScenarios}`,
    });
  }
  const days = simulatedDays(study, modelWarmup);
  if (days > limits.studyMaxSimulatedDays) {
    issues.push({
      path: study.warmup === null && modelWarmup > 0 ? '/warmup' : '/horizon',
      message:
        `replications × scenarios × (warm-up + horizon) is ${Math.ceil(days)} simulated days; ` +
        `this platform runs at most ${limits.studyMaxSimulatedDays}`,
    });
  }
  if (issues.length === 0) return;
  throw new ImverseError(
    'IMV_STUDY_TOO_LARGE',
    `Study is too large: ${issues[0]!.path} ${issues[0]!.message}`,
    {
      path: issues[0]!.path,
      issues,
    },
  );
}
