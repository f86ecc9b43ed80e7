// Checkpoints the SQLite write-ahead logs of the hot stores from a worker thread. Left to itself,
// SQLite checkpoints inside the commit that fills the log, on the event loop, fsync included:
// every few seconds one device message would wait tens of milliseconds for it. A checkpoint from
// another connection copies the same pages without holding up the writer.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const dbs = workerData.files.map((file) => new Database(file, { fileMustExist: true }));
const timer = setInterval(() => {
  for (const db of dbs) {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      parentPort.postMessage(String(error));
    }
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  for (const db of dbs) db.close();
  parentPort.close();
});
`;

/** What SQLite does by default: checkpoint when the log passes 1000 pages. */
const SQLITE_AUTOCHECKPOINT = 1000;

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(
    private readonly databases: readonly Database.Database[],
    onError: (message: string) => void,
    everyMs = 250,
  ) {
    const files = databases.filter((db) => !db.memory).map((db) => db.name);
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { files, everyMs, module: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    this.worker.unref();
    this.worker.on('message', (message: string) => onError(message));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => {
        // Without the worker, the writers checkpoint for themselves again.
        this.setAutocheckpoint(SQLITE_AUTOCHECKPOINT);
        resolve();
      });
    });
    this.worker.once('error', (error) => onError(String(error)));
    this.setAutocheckpoint(0);
  }

  async close(): Promise<void> {
    // Held until it has closed its connections: an unref'd worker would let the process end first.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }

  private setAutocheckpoint(pages: number): void {
    for (const db of this.databases) if (db.open) db.pragma(`wal_autocheckpoint = ${pages}`);
  }
}
