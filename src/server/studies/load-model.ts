// Loads a study model module by URL and checks that it keeps the model contract (src/sim/study/model.ts).
import { ERROR_CODES, ImverseError, type ErrorCode, type Issue } from '../../core/errors.js';
import { StudyRunError, type StudyModelModule } from '../../sim/study/index.js';

/** The model module of the plant: the factory library behind the model contract. */
export const PLANT_MODEL_MODULE = new URL(
  import.meta.url.endsWith('.ts') ? './plant-model.ts' : './plant-model.js',
  import.meta.url,
).href;

/** A model module may also say the warm-up its model runs when a study states none (seconds). */
export interface LoadedModelModule extends StudyModelModule {
  readonly modelWarmup?: (model: unknown) => number;
}

export async function loadModelModule(url: string): Promise<LoadedModelModule> {
  let loaded: Partial<LoadedModelModule>;
  try {
    loaded = (await import(url)) as Partial<LoadedModelModule>;
  } catch (error) {
    throw new StudyRunError(`Cannot load the study model ${url}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof loaded.compileModel !== 'function' || typeof loaded.runModelReplication !== 'function') {
    throw new StudyRunError(`The study model ${url} must export compileModel and runModelReplication`);
  }
  return {
    compileModel: loaded.compileModel,
    runModelReplication: loaded.runModelReplication,
    ...(typeof loaded.modelWarmup === 'function' ? { modelWarmup: loaded.modelWarmup } : {}),
  };
}

/** An error as it crosses a thread: structured clone keeps only name and message. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly path?: string;
  readonly issues?: readonly Issue[];
  readonly stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, path, issues } = error as Partial<ImverseError>;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof path === 'string' ? { path } : {}),
    ...(Array.isArray(issues) ? { issues: JSON.parse(JSON.stringify(issues)) as Issue[] } : {}),
    ...(error.stack === undefined ? {} : { stack: error.stack }),
  };
}

/** Back to a typed error: ours keep their code and issues; anything else becomes IMV_STUDY_RUN_FAILED. */
export function deserializeError(error: SerializedError, context: string): ImverseError {
  const message = `${context}: ${error.message}`;
  if (error.code !== undefined && error.code in ERROR_CODES) {
    return new ImverseError(error.code as ErrorCode, message, {
      ...(error.path === undefined ? {} : { path: error.path }),
      ...(error.issues === undefined ? {} : { issues: error.issues }),
    });
  }
  const cause = Object.assign(new Error(error.message), { name: error.name, stack: error.stack });
  return new StudyRunError(message, { cause });
}
