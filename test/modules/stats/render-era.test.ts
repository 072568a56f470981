import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../src/domain/fiscal-calendar.js';
import { buildInfoSharingStats } from '../../../src/domain/info-sharing-stats.js';
import { loadTaxonomy } from '../../../src/domain/taxonomy.js';
import { columnHeading, renderStatsHtml } from '../../../src/modules/stats/render-html.js';
import { SHEET_NAMES, renderStatsXlsx } from '../../../src/modules/stats/render-xlsx.js';

/** FY2019 with FY2018 beside it: the Heisei/Reiwa change falls between the two. */
const stats = buildInfoSharingStats({
  fiscalYear: 2019,
  history: 1,
  calendar: new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 }),
  taxonomy: loadTaxonomy(),
  rollup: [],
  aggregates: [],
});

describe('the rendered tables with the era display', () => {
  it('name the fiscal years by era in both languages, Gregorian without it', () => {
    expect(stats.columns.map((c) => columnHeading(c, 2019, 'ja', true))).toEqual([
      '平成30年度',
      '令和元年度 第1四半期',
      '令和元年度 第2四半期',
      '令和元年度 第3四半期',
      '令和元年度 第4四半期',
      '令和元年度 計',
    ]);
    expect(columnHeading('FY2019Q2', 2019, 'en', true)).toBe('FY Reiwa 1 Q2');
    expect(columnHeading('FY2019', 2019, 'en', true)).toBe('FY Reiwa 1 total');
    expect(columnHeading('FY2018', 2019, 'ja')).toBe('2018年度');
  });

  it('reach the HTML title and headings and both sheets of the workbook', async () => {
    const html = renderStatsHtml(stats, { lang: 'ja', era: true });
    expect(html).toContain('重要インフラにおける情報共有件数 (令和元年度)');
    expect(html).toContain('<th scope="col">平成30年度</th>');
    expect(renderStatsHtml(stats, { lang: 'ja' })).toContain('(2019年度)');
    const workbook = new ExcelJS.Workbook();
    const bytes = await renderStatsXlsx(stats, { era: true });
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    expect(workbook.getWorksheet(SHEET_NAMES.ja)!.getCell('C2').text).toBe('平成30年度');
    expect(workbook.getWorksheet(SHEET_NAMES.en)!.getCell('C2').text).toBe('FY Heisei 30');
  });
});
