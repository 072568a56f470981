import { readFileSync } from 'node:fs';
import type { StatTable } from '../../domain/counting.js';
import { STAT_TABLES } from '../../domain/counting.js';
import type { Quarter } from '../../domain/fiscal-calendar.js';
import type { AggregateValue } from '../../domain/info-sharing-stats.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { loadTaxonomy } from '../../domain/taxonomy.js';

/** One row of a published table: its labels as printed and one value per column. */
export interface PublishedRow {
  ja: string;
  en: string;
  group_ja?: string;
  values: number[];
}

/** The shape of data/published-info-sharing-fy2019-fy2023.json (and of `kyoyu aggregates import` files). */
export interface PublishedFile {
  title?: string;
  title_en?: string;
  source?: string;
  unit?: string;
  notes?: string[];
  columns: string[];
  channels?: Record<string, PublishedRow>;
  events?: Record<string, PublishedRow>;
  causes?: Record<string, PublishedRow>;
  attack_types?: Record<string, PublishedRow>;
}

export const DEFAULT_PUBLISHED_FILE = new URL(
  '../../../data/published-info-sharing-fy2019-fy2023.json',
  import.meta.url,
);

export function loadPublishedFile(file: URL | string = DEFAULT_PUBLISHED_FILE): PublishedFile {
  return JSON.parse(readFileSync(file, 'utf8')) as PublishedFile;
}

/** The published figures as aggregate values, validated against the taxonomy. */
export function publishedAggregates(
  file: URL | string = DEFAULT_PUBLISHED_FILE,
  taxonomy: Taxonomy = loadTaxonomy(),
): AggregateValue[] {
  return parseAggregatesFile(JSON.parse(readFileSync(file, 'utf8')) as unknown, taxonomy);
}

/** The published tables in the shape of `InfoSharingStats.tables`, for comparing with computed statistics. */
export function publishedTables(
  file: URL | string = DEFAULT_PUBLISHED_FILE,
): Record<StatTable, Record<string, number[]>> {
  const published = loadPublishedFile(file);
  const tables = {} as Record<StatTable, Record<string, number[]>>;
  for (const table of STAT_TABLES) {
    tables[table] = Object.fromEntries(
      Object.entries(published[table] ?? {}).map(([code, row]) => [code, row.values]),
    );
  }
  return tables;
}

const COLUMN = /^FY(\d{4})(?:Q([1-4]))?$/;

export interface ColumnRef {
  fiscalYear: number;
  quarter: 0 | Quarter;
}

/** `FY2019` -> fiscal year 2019 total (quarter 0); `FY2023Q2` -> 2023 quarter 2. */
export function parseColumnLabel(label: string): ColumnRef | null {
  const m = COLUMN.exec(label);
  if (!m) return null;
  return { fiscalYear: Number(m[1]), quarter: m[2] ? (Number(m[2]) as Quarter) : 0 };
}

function fail(where: string, message: string): never {
  throw new Error(`aggregates file: ${where}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function knownCodes(table: StatTable, taxonomy: Taxonomy): ReadonlySet<string> {
  switch (table) {
    case 'channels':
      return new Set(taxonomy.data.channels.map((c) => c.code));
    case 'events':
      return taxonomy.eventCodes;
    case 'causes':
      return taxonomy.causeCodes;
    case 'attack_types':
      // The published table carries its own total row; the statistics show it from aggregates as is.
      return new Set(['total', ...taxonomy.attackTypeCodes]);
  }
}

/**
 * Validates a published-aggregates file and flattens it to aggregate values. Top-level keys whose
 * value is an object are tables and must be one of the four known tables; scalars and arrays
 * (title, source, notes, ...) are metadata and are ignored, so that a file can cite its source.
 */
export function parseAggregatesFile(json: unknown, taxonomy: Taxonomy = loadTaxonomy()): AggregateValue[] {
  if (!isRecord(json)) fail('(file)', 'expected a JSON object');
  const columnsValue = json.columns;
  if (!Array.isArray(columnsValue) || columnsValue.length === 0) {
    fail('columns', 'expected a non-empty array of column labels such as "FY2022" or "FY2023Q1"');
  }
  const columns: ColumnRef[] = [];
  const seen = new Set<string>();
  columnsValue.forEach((label: unknown, i) => {
    const ref = typeof label === 'string' ? parseColumnLabel(label) : null;
    if (!ref) fail(`columns[${i}]`, `${JSON.stringify(label)} is not a column label (FYnnnn or FYnnnnQn)`);
    if (seen.has(label as string)) fail(`columns[${i}]`, `column ${String(label)} appears twice`);
    seen.add(label as string);
    columns.push(ref);
  });

  const out: AggregateValue[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (key === 'columns' || !isRecord(value)) continue;
    if (!(STAT_TABLES as readonly string[]).includes(key)) {
      fail(key, `unknown table '${key}' (expected one of ${STAT_TABLES.join(', ')})`);
    }
    const table = key as StatTable;
    const codes = knownCodes(table, taxonomy);
    for (const [code, row] of Object.entries(value)) {
      const where = `${table}.${code}`;
      if (!codes.has(code)) fail(where, `unknown ${table} code '${code}'`);
      if (!isRecord(row) || !Array.isArray(row.values))
        fail(where, 'expected an object with a "values" array');
      const values: unknown[] = row.values;
      if (values.length !== columns.length) {
        fail(`${where}.values`, `has ${values.length} values for ${columns.length} columns`);
      }
      values.forEach((v, i) => {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
          fail(`${where}.values[${i}]`, `${JSON.stringify(v)} is not an integer >= 0`);
        }
        const { fiscalYear, quarter } = columns[i]!;
        out.push({ fiscalYear, quarter, table, code, value: v });
      });
    }
  }
  return out;
}
