// Typed errors of the scheduling module, each carrying its stable code.
import { ImverseError, type ErrorOptions } from '../../core/errors.js';

/** The instance (a parsed file or an object built in code) cannot be scheduled as given. */
export class ScheduleInstanceError extends ImverseError {
  override readonly name = 'ScheduleInstanceError';
  /** 1-based line of the instance text at fault, when the instance came from text. */
  readonly line: number | undefined;

  constructor(message: string, options: ErrorOptions & { readonly line?: number } = {}) {
    super(
      'IMV_SCHEDULE_INSTANCE_INVALID',
      options.line === undefined ? message : `line ${options.line}: ${message}`,
      {
        ...options,
        path: options.path ?? (options.line === undefined ? undefined : `@line:${options.line}`),
      },
    );
    this.line = options.line;
  }
}

/** A dispatching rule, search option or start schedule the scheduler cannot use. */
export class ScheduleOptionsError extends ImverseError {
  override readonly name = 'ScheduleOptionsError';

  constructor(message: string, options: ErrorOptions = {}) {
    super('IMV_SCHEDULE_OPTIONS_INVALID', message, options);
  }
}

export function isScheduleInstanceError(value: unknown): value is ScheduleInstanceError {
  return value instanceof ScheduleInstanceError;
}
