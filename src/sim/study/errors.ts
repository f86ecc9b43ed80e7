// Typed errors of studies, each carrying a stable IMV_STUDY_* code.
import { ImverseError, type ErrorOptions } from '../../core/errors.js';

/** A study definition (or a duration in it) is invalid; `issues` lists every problem by path. */
export class StudyDefinitionError extends ImverseError {
  override readonly name = 'StudyDefinitionError';
  constructor(message: string, options: ErrorOptions = {}) {
    super('IMV_STUDY_INVALID', message, options);
  }
}

/** A study run was cancelled before it finished. */
export class StudyCancelledError extends ImverseError {
  override readonly name = 'StudyCancelledError';
  constructor(message = 'The study was cancelled', options: ErrorOptions = {}) {
    super('IMV_STUDY_CANCELLED', message, options);
  }
}

/** A replication threw, or the model module does not keep the model contract. */
export class StudyRunError extends ImverseError {
  override readonly name = 'StudyRunError';
  constructor(message: string, options: ErrorOptions = {}) {
    super('IMV_STUDY_RUN_FAILED', message, options);
  }
}

export function isStudyCancelledError(value: unknown): value is StudyCancelledError {
  return value instanceof StudyCancelledError;
}
