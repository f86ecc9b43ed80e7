// Typed errors of the simulation engine, each carrying a stable IMV_SIM_* code.
import { ImverseError, type ErrorOptions } from '../../core/errors.js';

/** A distribution or model parameter is out of range; `parameter` names it, `path` points at it. */
export class SimParameterError extends ImverseError {
  override readonly name = 'SimParameterError';
  readonly parameter: string;

  constructor(parameter: string, message: string, options: ErrorOptions = {}) {
    super('IMV_SIM_PARAMETER_INVALID', message, { path: `/${parameter}`, ...options });
    this.parameter = parameter;
  }
}

/** The model misused the engine: a bad delay, a bad yield, a request released twice. */
export class SimModelError extends ImverseError {
  override readonly name = 'SimModelError';
}

export function isSimParameterError(value: unknown): value is SimParameterError {
  return value instanceof SimParameterError;
}
