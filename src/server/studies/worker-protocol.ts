// Messages between the study runner and its replication workers.
import type { ModelSource, ReplicationOutput, ReplicationRequest } from '../../sim/study/index.js';
import type { SerializedError } from './load-model.js';

export interface WorkerData {
  readonly moduleUrl: string;
  readonly model: ModelSource;
}

export interface RunJob {
  readonly type: 'run';
  /** Index of the scenario in run order (base first). */
  readonly scenario: number;
  readonly request: ReplicationRequest;
}

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: SerializedError }
  | {
      readonly type: 'done';
      readonly scenario: number;
      readonly replication: number;
      readonly output: ReplicationOutput;
    }
  | {
      readonly type: 'error';
      readonly scenario: number;
      readonly replication: number;
      readonly error: SerializedError;
    };
