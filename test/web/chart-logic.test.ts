import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PALETTE, swatchClass } from '../../web/src/features/dashboard/model/palette.js';
import {
  drawsNothing,
  initiallyShown,
  isFutureColumn,
} from '../../web/src/features/dashboard/model/series.js';
import { askedYear, chooseYear } from '../../web/src/features/statistics/model/years.js';

describe('the fiscal year a statistics page opens on', () => {
  it('is the newest with data when none is asked for, whatever the running year', () => {
    const choice = chooseYear(undefined, 2026, [2024, 2023, 2019]);
    expect(choice).toMatchObject({ fy: 2024, current: 2026, hasData: true, latest: 2024 });
    // The selector offers the running year and the nine before, and every year with data.
    expect(choice.years[0]).toBe(2026);
    expect(choice.years).toContain(2017);
    expect(chooseYear(undefined, 2030, [2019]).years).toEqual([
      2030, 2029, 2028, 2027, 2026, 2025, 2024, 2023, 2022, 2021, 2019,
    ]);
  });

  it('is the running year, without data, when no year has any', () => {
    expect(chooseYear(undefined, 2026, [])).toMatchObject({ fy: 2026, hasData: false, latest: null });
  });

  it('waits for the years with data rather than show an empty year', () => {
    expect(chooseYear(undefined, 2026, undefined)).toMatchObject({ fy: undefined, hasData: undefined });
    expect(chooseYear(2023, 2026, undefined)).toMatchObject({ fy: 2023, hasData: undefined });
  });

  it('is the one asked for, which may have no data (the page then names the latest)', () => {
    expect(chooseYear(2010, 2026, [2024])).toMatchObject({ fy: 2010, hasData: false, latest: 2024 });
    expect(chooseYear(2010, 2026, [2024]).years).toContain(2010);
    expect(askedYear(new URLSearchParams('fy=2023'))).toBe(2023);
    for (const bad of ['', 'fy=', 'fy=abc', 'fy=1899', 'fy=10000', 'fy=2023.5'])
      expect(askedYear(new URLSearchParams(bad)), bad).toBeUndefined();
  });
});

describe('the series a chart draws', () => {
  const series = (values: Array<Array<number | null>>) => values.map((data, i) => ({ name: `s${i}`, data }));

  it('shows every bar series, and only the 8 largest lines that have a figure', () => {
    const many = series(Array.from({ length: 17 }, (_, i) => [i % 5, i === 3 ? null : 1, 0, null]));
    expect(initiallyShown('bar', many).size).toBe(17);
    const lines = initiallyShown('line', many);
    expect(lines.size).toBe(8);
    // Sums: s4, s9, s14 = 5; s8, s13 = 4; s2, s3 (its null counts nothing), s7, s12 = 3: ties in order.
    expect([...lines]).toEqual(['s4', 's9', 's14', 's8', 's13', 's2', 's3', 's7']);
    expect(
      initiallyShown(
        'line',
        series([
          [0, 0],
          [0, null],
          [2, 1],
        ]),
      ),
    ).toEqual(new Set(['s2']));
  });

  it('draws nothing when every figure is 0 or missing', () => {
    expect(
      drawsNothing(
        series([
          [0, null],
          [null, 0],
        ]),
      ),
    ).toBe(true);
    expect(drawsNothing(series([[0, 1]]))).toBe(false);
    expect(drawsNothing([])).toBe(true);
  });

  it('leaves out the quarters still to come, not the running one or a year so far', () => {
    const now = { fiscalYear: 2026, quarter: 2 as const };
    expect(['FY2026Q1', 'FY2026Q2', 'FY2026Q3', 'FY2026Q4'].map((c) => isFutureColumn(c, now))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(isFutureColumn('FY2026', now)).toBe(false);
    expect(isFutureColumn('FY2027', now)).toBe(true);
    expect(isFutureColumn('FY2027Q1', now)).toBe(true);
    expect(isFutureColumn('FY2025Q4', now)).toBe(false);
    expect(isFutureColumn('total', now)).toBe(false);
  });

  it('colours the legend’s swatches as the chart its series (the stylesheet follows the palette)', () => {
    const css = readFileSync(
      join(import.meta.dirname, '../../web/src/features/dashboard/components/dashboard.css'),
      'utf8',
    );
    PALETTE.forEach((colour, i) => {
      const rule = new RegExp(`\\.swatch\\.c${i} \\{\\s*background: ${colour};`, 'i');
      expect(css, `.swatch.c${i}`).toMatch(rule);
    });
    expect(swatchClass(PALETTE.length + 1)).toBe('swatch c1');
  });
});
