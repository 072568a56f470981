import { Worker } from 'node:worker_threads';
import type { Taxonomy } from '../../domain/taxonomy.js';
import type { CheckedBatch, CheckWorkerData } from './check-worker.js';
import type { ImportFormat } from './line-readers.js';

/** Under tsx (tests, bench) the worker loads the TypeScript source through tsx; built, the .js file. */
function startWorker(data: CheckWorkerData): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const entry = JSON.stringify(new URL('./check-worker.ts', here).href);
    return new Worker(
      `import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); })`,
      { eval: true, workerData: data },
    );
  }
  return new Worker(new URL('./check-worker.js', here), { workerData: data });
}

/** The checked lines of a file, in order, in batches, from a worker thread. */
export async function* checkedBatches(
  path: string,
  format: ImportFormat,
  taxonomy: Taxonomy,
  batchSize: number,
): AsyncGenerator<CheckedBatch> {
  const worker = startWorker({ path, format, batchSize, taxonomy: taxonomy.data });
  const queue: CheckedBatch[] = [];
  let failure: unknown;
  let notify: (() => void) | undefined;
  const poke = () => {
    notify?.();
    notify = undefined;
  };
  worker.on('message', (batch: CheckedBatch) => {
    queue.push(batch);
    poke();
  });
  worker.on('error', (error) => {
    failure = error;
    poke();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && failure === undefined) failure = new Error(`import reader stopped with code ${code}`);
    poke();
  });
  try {
    for (;;) {
      while (queue.length === 0 && failure === undefined)
        await new Promise<void>((resolve) => (notify = resolve));
      const batch = queue.shift();
      if (!batch) throw failure;
      worker.postMessage('more');
      yield batch;
      if (batch.done) return;
    }
  } finally {
    await worker.terminate();
  }
}
