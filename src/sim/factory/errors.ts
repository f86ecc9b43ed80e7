// The one error of the plant simulation compiler: every problem found, each with file, line, column and field.
import { ImverseError, type Issue } from '../../core/errors.js';

export interface PlantSimulationIssue extends Issue {
  readonly file: string;
  /** 1-based; the nearest enclosing field that exists when the faulty one is missing. */
  readonly line: number;
  readonly col: number;
  /** JSON Pointer from the root of the plant file, e.g. `/simulation/stations/line-1~1st-01/mtbf`. */
  readonly path: string;
}

export class PlantSimulationError extends ImverseError {
  override readonly name = 'PlantSimulationError';
  declare readonly issues: readonly PlantSimulationIssue[];

  constructor(file: string, issues: readonly PlantSimulationIssue[]) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      'IMV_PLANT_SIMULATION_INVALID',
      `Plant simulation of ${file} is invalid: ${first?.message ?? 'no detail'}${more}`,
      { issues },
    );
  }
}

export function isPlantSimulationError(value: unknown): value is PlantSimulationError {
  return value instanceof PlantSimulationError;
}
