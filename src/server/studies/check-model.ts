// Checks a study's model and scenarios in this thread, so a bad plant file or override fails before any run.
import {
  BASE_SCENARIO,
  studyScenarios,
  type ModelSource,
  type StudyDefinition,
} from '../../sim/study/index.js';
import { ImverseError } from '../../core/errors.js';
import { StudyRunError } from '../../sim/study/index.js';
import { loadModelModule } from './load-model.js';

/** Simulated seconds each scenario is tried for: enough to apply its overrides, too little to cost anything. */
const TRIAL_HORIZON = 1;

/**
 * Compiles the model (its typed error lists the file's problems by line), then runs one second of
 * each scenario so that overrides naming a missing station or a bad value fail now, not an hour in.
 * Answers the warm-up the model runs when the study states none (0 when the model does not say).
 */
export async function checkStudyModel(
  moduleUrl: string,
  model: ModelSource,
  study: StudyDefinition,
): Promise<{ readonly modelWarmup: number }> {
  const module = await loadModelModule(moduleUrl);
  const compiled = await module.compileModel(model.text, model.file);
  for (const scenario of studyScenarios(study)) {
    try {
      module.runModelReplication(compiled, {
        seed: study.seed,
        replication: 0,
        warmup: 0,
        horizon: TRIAL_HORIZON,
        scenario: scenario.overrides,
      });
    } catch (error) {
      const message = `Scenario ${scenario.name}: ${(error as Error).message}`;
      if (error instanceof ImverseError) {
        // Issues point into the study: /base/… or /scenarios/NAME/…, as the definition's own do.
        const prefix = scenario.name === BASE_SCENARIO ? '/base' : `/scenarios/${scenario.name}`;
        const issues = error.issues.map((issue) => ({ ...issue, path: `${prefix}${issue.path}` }));
        throw new ImverseError(error.code, message, {
          issues,
          path: issues[0]?.path ?? prefix,
          cause: error,
        });
      }
      throw new StudyRunError(message, { cause: error });
    }
  }
  return { modelWarmup: module.modelWarmup?.(compiled) ?? 0 };
}
