import { describe, expect, it } from 'vitest';
import { DATASET_CALENDAR } from '../../src/demo/dataset.js';
import { demoLines, generatedYears } from '../../src/demo/demo-years.js';
import { loadTaxonomy } from '../../src/domain/taxonomy.js';

const taxonomy = loadTaxonomy();

/** Fiscal years (of the first report of each ref) in the lines, with their counts. */
function yearsOf(lines: ReturnType<typeof demoLines>): Map<number, number> {
  const first = new Map<string, number>();
  for (const { line, receivedAtMs } of lines)
    first.set(line.ref, Math.min(first.get(line.ref) ?? Infinity, receivedAtMs));
  const years = new Map<number, number>();
  for (const at of first.values()) {
    const fy = DATASET_CALENDAR.periodOf(at).fiscalYear;
    years.set(fy, (years.get(fy) ?? 0) + 1);
  }
  return years;
}

describe('the demo dated relative to today', () => {
  it('generates FY2024 up to the running year, at most the running year and its previous five', () => {
    expect(generatedYears(2023)).toEqual([]);
    expect(generatedYears(2024)).toEqual([2024]);
    expect(generatedYears(2026)).toEqual([2024, 2025, 2026]);
    expect(generatedYears(2031)).toEqual([2026, 2027, 2028, 2029, 2030, 2031]);
  });

  it('years later, the running year and the five before it hold records, none after today', () => {
    const now = new Date('2031-01-15T00:00:00Z'); // FY2030, its fourth quarter begun
    const lines = demoLines(now, taxonomy);
    const years = yearsOf(lines);
    for (const fy of [2025, 2026, 2027, 2028, 2029, 2030]) expect(years.get(fy) ?? 0).toBeGreaterThan(300);
    expect(years.get(2023)).toBeGreaterThan(300); // the published year's records stay
    expect(years.has(2024)).toBe(false);
    expect(Math.max(...lines.map((l) => l.receivedAtMs))).toBeLessThanOrEqual(now.getTime());
    // The running quarter has begun: some records in it, but far fewer than a whole quarter.
    const q4 = DATASET_CALENDAR.rangeOf(2030, 4);
    const inQ4 = lines.filter((l) => l.receivedAtMs >= q4.start.getTime()).length;
    expect(inQ4).toBeGreaterThan(0);
    expect(inQ4).toBeLessThan(80);
  });

  it('is the same for the same day: the lines are a function of the date', () => {
    const now = new Date('2026-12-02T01:00:00Z');
    const a = demoLines(now, taxonomy);
    const b = demoLines(now, taxonomy);
    expect(b).toEqual(a);
    expect(new Set(a.map((l) => DATASET_CALENDAR.periodOf(l.receivedAtMs).fiscalYear))).toEqual(
      new Set([2023, 2024, 2025, 2026]),
    );
  });
});
