import type { ReportLine } from '../domain/report-line.js';
import { DEFAULT_SEED, generateFiscalYearDataset } from './dataset.js';
import { fiscalYearTarget } from './dataset-target.js';
import { publishedAggregates } from '../modules/stats/published.js';

/** The committed golden dataset; regenerate with `npx tsx test/fixtures/generate-golden.ts`. */
export const GOLDEN_FY2023_FILE = new URL('../../test/fixtures/golden-fy2023.jsonl', import.meta.url);

/** FY2023 lines whose statistics are the published FY2023 tables; what the golden file holds. */
export function goldenFy2023Lines(seed = DEFAULT_SEED): ReportLine[] {
  return generateFiscalYearDataset({
    fiscalYear: 2023,
    target: fiscalYearTarget(publishedAggregates(), 2023),
    seed,
  });
}
