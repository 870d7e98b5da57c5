// One fuzz target in a worker thread (started by cli.ts), so that a case
// that never returns can be stopped and reported as a hang.
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { runnerImport } from 'vite';

const { module } = await runnerImport(fileURLToPath(new URL('./cli.ts', import.meta.url)));
parentPort.postMessage(module.runJob(workerData));
