import { parseInstant } from '../domain/report-line.js';
import type { ReportLine } from '../domain/report-line.js';
import type { Taxonomy } from '../domain/taxonomy.js';
import { generateRecentRecords } from './dataset-recent.js';
import { DATASET_CALENDAR } from './dataset.js';
import { goldenFy2023Lines } from './golden.js';

/** The published years: FY2019-FY2022 as aggregates, FY2023 as records equal to its tables. */
export const FIRST_PUBLISHED_YEAR = 2019;
export const GOLDEN_YEAR = 2023;
/** The running fiscal year and this many before it always hold data. */
export const PREVIOUS_YEARS = 5;

/**
 * The years the demo generates records for (after the published ones): FY2024 up to the running
 * year, at most the running year and its previous five, so that the first screen (the running year
 * beside the previous ones) shows figures whatever the date.
 */
export function generatedYears(runningYear: number): number[] {
  const years: number[] = [];
  for (let fy = Math.max(GOLDEN_YEAR + 1, runningYear - PREVIOUS_YEARS); fy <= runningYear; fy++)
    years.push(fy);
  return years;
}

/** Roughly the published years' size, growing a little each year, deterministic per year. */
const incidentsIn = (fy: number): number => 380 + ((fy * 37) % 60) + 12 * Math.max(0, fy - 2024);

export interface DemoLine {
  line: ReportLine;
  receivedAtMs: number;
}

/**
 * The demo's report lines: the golden FY2023 (whole: its figures are the published ones) and a
 * generated set per year of generatedYears(), received by `now`. A generated year is the whole
 * fiscal year, deterministic per year, cut at `now` (the running quarter partly filled, later
 * stages of older incidents not yet arrived): a later start shows the same records and those that
 * have "arrived" since.
 */
export function demoLines(now: Date, taxonomy: Taxonomy): DemoLine[] {
  const runningYear = DATASET_CALENDAR.periodOf(now).fiscalYear;
  const out = goldenFy2023Lines().map(withInstant);
  for (const fy of generatedYears(runningYear)) {
    // FY2024 keeps the seed the demo used before, so its records stay as they were.
    const seed = 20240401 + (fy - 2024);
    for (const line of generateRecentRecords({ fiscalYear: fy, count: incidentsIn(fy), seed, taxonomy })) {
      const dated = withInstant(line);
      // Nothing from the future: the server would refuse it, and a demo must look like today.
      if (dated.receivedAtMs <= now.getTime()) out.push(dated);
    }
  }
  return out;
}

function withInstant(line: ReportLine): DemoLine {
  const parsed = parseInstant(line.received_at);
  if (!parsed.ok) throw new Error(`demo line ${line.ref} has a bad time`);
  return { line, receivedAtMs: parsed.epochMs };
}
