/**
 * Worker thread of a file import: reads, parses and checks lines on the second core while the main
 * thread stores the previous batches. Sends batches in file order; at most two are in flight
 * (the main thread grants one more per batch it takes), so memory stays bounded on any file size.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TaxonomyData } from '../../domain/taxonomy.js';
import { Taxonomy } from '../../domain/taxonomy.js';
import type { CheckedLine } from './line-checker.js';
import { LineChecker } from './line-checker.js';
import type { ImportFormat } from './line-readers.js';
import { readRecords } from './line-readers.js';

export interface CheckWorkerData {
  path: string;
  format: ImportFormat;
  batchSize: number;
  taxonomy: TaxonomyData;
}

export interface CheckedBatch {
  items: CheckedLine[];
  bytes: number;
  done: boolean;
}

const port = parentPort!;
const data = workerData as CheckWorkerData;
const checker = new LineChecker(new Taxonomy(data.taxonomy));
let credit = 2;
let wake: (() => void) | undefined;
port.on('message', () => {
  credit++;
  wake?.();
  wake = undefined;
});

let bytes = 0;
let items: CheckedLine[] = [];
const send = async (done: boolean) => {
  while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
  credit--;
  const batch: CheckedBatch = { items, bytes, done };
  port.postMessage(batch);
  items = [];
};
for await (const raw of readRecords(data.path, data.format, (n) => (bytes += n))) {
  items.push(checker.check(raw));
  if (items.length >= data.batchSize) await send(false);
}
await send(true);
