import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportLine } from '../domain/report-line.js';

/** Writes one JSON object a line, UTF-8, with a final newline; the import format of `kyoyu import`. */
export function writeJsonl(lines: readonly ReportLine[], path: string | URL): void {
  const file = typeof path === 'string' ? path : fileURLToPath(path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    lines.map((line) => JSON.stringify(line)).join('\n') + (lines.length > 0 ? '\n' : ''),
    'utf8',
  );
}

/**
 * Reads a JSONL file into parsed objects, unvalidated: callers run them through reportLineSchema.
 * Blank lines are skipped.
 */
export function readJsonl(path: string | URL): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
