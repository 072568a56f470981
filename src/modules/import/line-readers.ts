import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

/** A raw record read from an import file, before validation, with where it came from. */
export interface RawRecord {
  lineNo: number;
  value?: unknown;
  /** Set when the line cannot be read at all. */
  error?: {
    code: 'malformed_json' | 'malformed_csv' | 'unknown_field' | 'required';
    field: string;
    message: string;
  };
}

export type ImportFormat = 'jsonl' | 'csv';

export const CSV_COLUMNS = [
  'ref',
  'channel',
  'received_at',
  'occurred_at',
  'detected_at',
  'organization',
  'sector',
  'title',
  'description',
  'stage',
  'event',
  'causes',
  'attack_type',
  'tlp',
] as const;
const REQUIRED_CSV_COLUMNS = ['ref', 'channel', 'received_at', 'title', 'description'];

export function formatOf(path: string): ImportFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

export function readRecords(
  path: string,
  format: ImportFormat,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<RawRecord> {
  return format === 'jsonl' ? readJsonl(path, onBytes) : readCsv(path, onBytes);
}

async function* readJsonl(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<RawRecord> {
  const stream = createReadStream(path);
  if (onBytes) stream.on('data', (chunk) => onBytes(chunk.length));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    const trimmed = lineNo === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
    if (trimmed === '') continue;
    try {
      yield { lineNo, value: JSON.parse(trimmed) as unknown };
    } catch (error) {
      yield {
        lineNo,
        error: {
          code: 'malformed_json',
          field: '(line)',
          message: `not valid JSON: ${(error as Error).message}`,
        },
      };
    }
  }
}

async function* readCsv(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<RawRecord> {
  const stream = createReadStream(path);
  if (onBytes) stream.on('data', (chunk) => onBytes(chunk.length));
  const parser = stream.pipe(
    parse({ bom: true, columns: false, info: true, relax_column_count: false, skip_empty_lines: true }),
  );
  let header: string[] | null = null;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!header) {
        header = record.map((h) => h.trim());
        const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
        const missing = REQUIRED_CSV_COLUMNS.filter((c) => !header!.includes(c));
        for (const field of unknown)
          yield {
            lineNo: info.lines,
            error: { code: 'unknown_field', field, message: `unknown column ${field}` },
          };
        for (const field of missing)
          yield {
            lineNo: info.lines,
            error: { code: 'required', field, message: `missing column ${field}` },
          };
        if (unknown.length > 0 || missing.length > 0) return;
        continue;
      }
      yield { lineNo: info.lines, value: csvRowToLine(header, record) };
    }
  } catch (error) {
    const e = error as Error & { lines?: number };
    yield { lineNo: e.lines ?? 0, error: { code: 'malformed_csv', field: '(line)', message: e.message } };
  }
}

/** A CSV row as the JSON line it stands for: empty cells are absent, causes are `;`-joined. */
export function csvRowToLine(header: readonly string[], record: readonly string[]): Record<string, unknown> {
  const line: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const cell = record[i] ?? '';
    if (column === 'description') line.description = cell;
    else if (column === 'causes') {
      if (cell.trim() !== '') line.causes = cell.split(';').map((c) => c.trim());
    } else if (column === 'attack_type') {
      if (cell.trim() !== '') line.attack_type = cell.trim();
    } else if (cell.trim() !== '') line[column] = cell.trim();
  });
  if (line.channel === 'operator_report' && !('attack_type' in line)) line.attack_type = null;
  return line;
}
