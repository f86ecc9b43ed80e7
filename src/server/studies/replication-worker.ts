// A worker thread that compiles the study's model once, then runs the replications it is sent, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { loadModelModule, serializeError } from './load-model.js';
import type { FromWorker, RunJob, WorkerData } from './worker-protocol.js';

const port = parentPort!;
const { moduleUrl, model: source } = workerData as WorkerData;
const send = (message: FromWorker): void => port.postMessage(message);

try {
  const module = await loadModelModule(moduleUrl);
  const model = await module.compileModel(source.text, source.file);
  port.on('message', (job: RunJob) => {
    try {
      const output = module.runModelReplication(model, job.request);
      send({ type: 'done', scenario: job.scenario, replication: job.request.replication, output });
    } catch (error) {
      send({
        type: 'error',
        scenario: job.scenario,
        replication: job.request.replication,
        error: serializeError(error),
      });
    }
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'failed', error: serializeError(error) });
}
