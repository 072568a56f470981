import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../../src/domain/fiscal-calendar.js';
import {
  buildInfoSharingStats,
  quarterKey,
  withholdOpenColumns,
} from '../../../src/domain/info-sharing-stats.js';
import { loadTaxonomy } from '../../../src/domain/taxonomy.js';
import { renderStatsCsv } from '../../../src/modules/stats/render-csv.js';
import { renderStatsHtml } from '../../../src/modules/stats/render-html.js';
import { SHEET_NAMES, renderStatsXlsx } from '../../../src/modules/stats/render-xlsx.js';

// FY2024 with Q1 closed and Q2-Q4 open; FY2023 published as a total, holding 2 records beside it.
const built = buildInfoSharingStats({
  fiscalYear: 2024,
  history: 1,
  calendar: new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 }),
  taxonomy: loadTaxonomy(),
  rollup: [
    { month: '2024-05', table: 'channels', code: 'operator_report', n: 4 },
    { month: '2024-08', table: 'channels', code: 'operator_report', n: 1 },
    { month: '2023-06', table: 'channels', code: 'operator_report', n: 2 },
  ],
  aggregates: [{ fiscalYear: 2023, quarter: 0, table: 'channels', code: 'operator_report', value: 272 }],
  closedQuarters: new Set([quarterKey(2024, 1)]),
});
const outside = withholdOpenColumns(built);

describe('statistics with columns withheld from the caller', () => {
  it('are null with the column marked open, and tell nothing of the open columns or the published year', () => {
    expect(outside.column_states).toEqual(['published', 'closed', 'open', 'open', 'open', 'open']);
    expect(outside.tables.channels['operator_report']).toEqual([272, 4, null, null, null, null]);
    expect(outside.column_sources).toEqual(['aggregates', 'records', 'none', 'none', 'none', 'none']);
    expect(outside.published_years).toEqual([{ fiscal_year: 2023, records: null }]);
    expect(built.tables.channels['operator_report']).toEqual([272, 4, 1, 0, 0, 5]);
    expect(built.published_years).toEqual([{ fiscal_year: 2023, records: 2 }]);
  });

  it('read 未確定 / not yet final in HTML, never 0', () => {
    const ja = renderStatsHtml(outside, { lang: 'ja' });
    const row =
      /<tr><th scope="row"[^>]*>重要インフラ事業者等から国家サイバー統括室への情報連絡<\/th>(.*?)<\/tr>/.exec(
        ja,
      )![1]!;
    expect(row).toBe('<td>272</td><td>4</td>' + '<td class="na">未確定</td>'.repeat(4));
    expect(ja).toContain('未確定（センターが締めていない四半期を含む）');
    expect(renderStatsHtml(outside, { lang: 'en' })).toContain('<td class="na">not yet final</td>');
    expect(renderStatsHtml(built, { lang: 'ja' })).toContain(
      '2023年度は公表値です。この年度の記録 2 件は公表値に含まれていません。',
    );
  });

  it('are empty fields in CSV, with the column states in a meta row', () => {
    const rows = parse(renderStatsCsv(outside), { bom: true }) satisfies string[][];
    expect(rows.find((r) => r[1] === 'operator_report')!.slice(5)).toEqual(['272', '4', '', '', '', '']);
    expect(rows.find((r) => r[1] === 'column_state')!.slice(5)).toEqual([
      'published',
      'closed',
      'open',
      'open',
      'open',
      'open',
    ]);
    const centerRows = parse(renderStatsCsv(built), { bom: true }) satisfies string[][];
    expect(centerRows.find((r) => r[1] === 'records_beside_published')!.slice(5)).toEqual([
      '2',
      '',
      '',
      '',
      '',
      '',
    ]);
  });

  it('are text in XLSX, so that no sum takes them for 0', async () => {
    const workbook = new ExcelJS.Workbook();
    const bytes = await renderStatsXlsx(outside);
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const ws = workbook.getWorksheet(SHEET_NAMES.ja)!;
    const row = ws
      .getRows(1, ws.rowCount)!
      .find((r) => r.getCell(2).value === '重要インフラ事業者等から国家サイバー統括室への情報連絡')!;
    expect([3, 4, 5, 6, 7, 8].map((c) => row.getCell(c).value)).toEqual([
      272,
      4,
      '未確定',
      '未確定',
      '未確定',
      '未確定',
    ]);
  });
});
