import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StatTable } from '../../../src/domain/counting.js';
import { STAT_TABLES } from '../../../src/domain/counting.js';
import { FiscalCalendar } from '../../../src/domain/fiscal-calendar.js';
import type { AggregateValue, InfoSharingStats } from '../../../src/domain/info-sharing-stats.js';
import { buildInfoSharingStats } from '../../../src/domain/info-sharing-stats.js';
import { loadTaxonomy } from '../../../src/domain/taxonomy.js';
import { renderStatsCsv } from '../../../src/modules/stats/render-csv.js';
import type { StatsLang } from '../../../src/modules/stats/render-html.js';
import { TABLE_TITLES, escapeHtml, renderStatsHtml } from '../../../src/modules/stats/render-html.js';
import { SHEET_NAMES, renderStatsXlsx } from '../../../src/modules/stats/render-xlsx.js';

interface Published {
  columns: string[];
  channels: Record<string, { values: number[] }>;
  events: Record<string, { values: number[] }>;
  causes: Record<string, { values: number[] }>;
  attack_types: Record<string, { values: number[] }>;
}
const published = JSON.parse(
  readFileSync(new URL('../../../data/published-info-sharing-fy2019-fy2023.json', import.meta.url), 'utf8'),
) as Published;

const HEADINGS: Record<StatsLang, string[]> = {
  ja: [
    ...['2019年度', '2020年度', '2021年度', '2022年度'],
    ...[
      '2023年度 第1四半期',
      '2023年度 第2四半期',
      '2023年度 第3四半期',
      '2023年度 第4四半期',
      '2023年度 計',
    ],
  ],
  en: [
    ...['FY2019', 'FY2020', 'FY2021', 'FY2022'],
    ...['FY2023 Q1', 'FY2023 Q2', 'FY2023 Q3', 'FY2023 Q4', 'FY2023 total'],
  ],
};

/** The published table as imported aggregates: `FY2023Q2` is quarter 2 of 2023, `FY2021` the total (quarter 0). */
function publishedAggregates(): AggregateValue[] {
  const out: AggregateValue[] = [];
  for (const table of STAT_TABLES) {
    for (const [code, row] of Object.entries(published[table])) {
      row.values.forEach((value, i) => {
        const m = /^FY(\d{4})(?:Q([1-4]))?$/.exec(published.columns[i]!)!;
        out.push({
          fiscalYear: Number(m[1]),
          quarter: Number(m[2] ?? 0) as AggregateValue['quarter'],
          table,
          code,
          value,
        });
      });
    }
  }
  return out;
}

function buildStats(): InfoSharingStats {
  return buildInfoSharingStats({
    fiscalYear: 2023,
    history: 4,
    calendar: new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 }),
    taxonomy: loadTaxonomy(),
    rollup: [],
    aggregates: publishedAggregates(),
  });
}

const stats = buildStats();
const expected = (table: StatTable, code: string): number[] => published[table][code]!.values;
const label = (lang: StatsLang, row: { ja: string; en: string }) => (lang === 'ja' ? row.ja : row.en);

describe('the statistics built from the published aggregates', () => {
  it('reproduce the published table, so the renderers below are checked against the source', () => {
    expect(stats.columns).toEqual(published.columns);
    for (const table of STAT_TABLES) {
      expect(stats.labels[table].map((r) => r.code).sort()).toEqual(Object.keys(published[table]).sort());
    }
  });
});

describe('renderStatsCsv', () => {
  it('parses back to exactly the published numbers for every row and column', () => {
    const records = parse(renderStatsCsv(stats), { bom: true });
    expect(records[0]).toEqual(['table', 'code', 'group_ja', 'label_ja', 'label_en', ...published.columns]);
    const rows = records.slice(1).filter((r) => r[0] !== 'meta');
    const order = STAT_TABLES.flatMap((t) => stats.labels[t].map((r) => [t, r.code]));
    expect(rows.map((r) => [r[0], r[1]])).toEqual(order);
    for (const [table, code, groupJa, labelJa, , ...values] of rows) {
      const row = stats.labels[table as StatTable].find((r) => r.code === code)!;
      expect([groupJa, labelJa]).toEqual([row.group_ja ?? '', row.ja]);
      expect(values.map(Number)).toEqual(expected(table as StatTable, code!));
    }
  });

  it('starts with a BOM by default, omits it on request, and ends lines with CRLF', () => {
    const withBom = renderStatsCsv(stats);
    const without = renderStatsCsv(stats, { bom: false });
    expect(withBom.startsWith('\uFEFFtable,')).toBe(true);
    expect(without.startsWith('table,')).toBe(true);
    expect(without.endsWith('\r\n')).toBe(true);
    expect(without.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('quotes commas, quotes and newlines so that they round-trip', () => {
    const tricky = structuredClone(stats);
    const odd = 'a, "b"\nc';
    tricky.labels.channels[0]!.ja = odd;
    const text = renderStatsCsv(tricky, { bom: false });
    expect(text).toContain('"a, ""b""\nc"');
    const records = parse(text);
    expect(records[1]![3]).toBe(odd);
    expect(records.every((r) => r.length === 5 + published.columns.length)).toBe(true);
  });

  it('refuses a row whose values do not match the columns', () => {
    const broken = structuredClone(stats);
    broken.tables.events['other'] = [1, 2, 3];
    expect(() => renderStatsCsv(broken)).toThrow(/events\/other/);
  });
});

describe('renderStatsXlsx', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    return workbook;
  }

  /** Row numbers of each block's rows, keyed by label, found through the block headings. */
  function blockRows(ws: ExcelJS.Worksheet, lang: StatsLang): Map<StatTable, Map<string, number>> {
    const blocks = new Map<StatTable, Map<string, number>>();
    let current: Map<string, number> | undefined;
    for (let r = 3; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const table = STAT_TABLES.find(
        (t) => row.getCell(1).value === TABLE_TITLES[t][lang] && row.getCell(2).isMerged,
      );
      // The notes follow the tables after an empty row.
      if (!row.hasValues) break;
      if (table) blocks.set(table, (current = new Map<string, number>()));
      else current!.set(row.getCell(2).text, r);
    }
    return blocks;
  }

  it('holds both sheets with the headings rendered per language', async () => {
    const workbook = await load(await renderStatsXlsx(stats));
    expect(workbook.worksheets.map((ws) => ws.name)).toEqual([SHEET_NAMES.ja, SHEET_NAMES.en]);
    for (const lang of ['ja', 'en'] as const) {
      const ws = workbook.getWorksheet(SHEET_NAMES[lang])!;
      expect(ws.getCell('A1').text).toContain(
        lang === 'ja' ? '重要インフラにおける情報共有件数 (2023年度)' : 'FY2023',
      );
      const header = ws.getRow(2).values as unknown[];
      expect(header.slice(3)).toEqual(HEADINGS[lang]);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    }
  });

  it.each(['ja', 'en'] as const)(
    'stores the published numbers as numbers in the right cells (%s)',
    async (lang) => {
      const ws = (await load(await renderStatsXlsx(stats))).getWorksheet(SHEET_NAMES[lang])!;
      const blocks = blockRows(ws, lang);
      expect([...blocks.keys()]).toEqual([...STAT_TABLES]);
      for (const table of STAT_TABLES) {
        const rows = blocks.get(table)!;
        expect(rows.size).toBe(stats.labels[table].length);
        for (const row of stats.labels[table]) {
          const r = rows.get(label(lang, row));
          expect(r, `${table}/${row.code}`).toBeDefined();
          const cells = published.columns.map((_, i) => ws.getCell(r!, 3 + i).value);
          expect(cells, `${table}/${row.code}`).toEqual(expected(table, row.code));
          // Nothing past the last column: a shifted row would spill over.
          expect(ws.getCell(r!, 3 + published.columns.length).value).toBeNull();
        }
      }
    },
  );

  it('puts ランサムウェア攻撃 and its nine values on one row', async () => {
    const ws = (await load(await renderStatsXlsx(stats))).getWorksheet('情報共有件数')!;
    const rows = ws.getRows(1, ws.rowCount)!.filter((row) => row.getCell(2).value === 'ランサムウェア攻撃');
    expect(rows).toHaveLength(1);
    const values = (rows[0]!.values as unknown[]).slice(3);
    expect(values).toEqual([8, 13, 46, 30, 8, 5, 14, 9, 36]);
    expect(values.every((v) => typeof v === 'number')).toBe(true);
    expect(rows[0]!.getCell(3).alignment?.horizontal).toBe('right');
    expect(rows[0]!.getCell(3).border?.top?.style).toBe('thin');
  });

  it('merges each group label in column A over its rows', async () => {
    const ws = (await load(await renderStatsXlsx(stats))).getWorksheet(SHEET_NAMES.ja)!;
    const blocks = blockRows(ws, 'ja');
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    const cases: Array<[StatTable, string, string, number]> = [
      ['causes', '不審メール等の受信', '意図的な原因', 6],
      ['causes', 'ユーザの操作ミス', '偶発的な原因', 8],
      ['causes', 'その他', 'その他の原因', 2],
      ['events', 'マルウェア等の感染', '上記につながる事象', 3],
    ];
    for (const [table, first, group, span] of cases) {
      const r = blocks.get(table)!.get(first)!;
      expect(ws.getCell(r, 1).value).toBe(group);
      expect(merges).toContain(`A${r}:A${r + span - 1}`);
      expect(ws.getCell(r + span - 1, 1).master.address).toBe(`A${r}`);
      expect(ws.getCell(r + span, 1).master.address).not.toBe(`A${r}`);
    }
  });

  it('gives the same bytes whenever it runs, with the dates of the fiscal year', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
    const a = await renderStatsXlsx(stats);
    vi.setSystemTime(new Date('2026-07-15T12:34:56Z'));
    const b = await renderStatsXlsx(stats);
    expect(a.equals(b)).toBe(true);
    vi.useRealTimers();
    const workbook = await load(a);
    expect(workbook.created.toISOString()).toBe('2023-04-01T00:00:00.000Z');
    expect(workbook.modified.toISOString()).toBe('2023-04-01T00:00:00.000Z');
  });
});

describe('escapeHtml', () => {
  it('escapes markup, quotes and ampersands', () => {
    expect(escapeHtml('<script>alert("x")</script>')).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
    );
    expect(escapeHtml(`a & b 'c'`)).toBe('a &amp; b &#39;c&#39;');
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
    expect(escapeHtml('情報共有')).toBe('情報共有');
  });
});

describe('renderStatsHtml', () => {
  /** Each table's body rows as [row label, numbers], in document order. */
  function bodyRows(html: string, table: StatTable): Array<[string, number[]]> {
    const section = new RegExp(`<table id="${table}">([\\s\\S]*?)</table>`).exec(html)![1]!;
    const body = section.slice(section.indexOf('</thead>'));
    return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [
      /<th scope="row"[^>]*>([^<]*)<\/th>/.exec(m[1]!)![1]!,
      [...m[1]!.matchAll(/<td>([^<]*)<\/td>/g)].map((c) => Number(c[1])),
    ]);
  }

  it.each(['ja', 'en'] as const)('holds every published number in the right row order (%s)', (lang) => {
    const html = renderStatsHtml(stats, { lang });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<html lang="${lang}">`);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script/i);
    for (const table of STAT_TABLES) {
      expect(html).toContain(`<caption>${escapeHtml(TABLE_TITLES[table][lang])}</caption>`);
      const rows = bodyRows(html, table);
      expect(rows).toEqual(
        stats.labels[table].map((r) => [escapeHtml(label(lang, r)), expected(table, r.code)]),
      );
    }
    const heads = [...html.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
    for (const h of HEADINGS[lang]) expect(heads.filter((x) => x === h)).toHaveLength(STAT_TABLES.length);
  });

  it('spans each group header over its rows', () => {
    const html = renderStatsHtml(stats);
    expect(html).toContain('<th scope="rowgroup" rowspan="6">意図的な原因</th>');
    expect(html).toContain('<th scope="rowgroup" rowspan="8">偶発的な原因</th>');
    expect(html).toContain('<th scope="rowgroup" rowspan="3">上記につながる事象</th>');
    expect(html).not.toMatch(/<table id="(channels|attack_types)">(?:(?!<\/table>)[\s\S])*rowgroup/);
  });

  it('escapes labels, group labels and titles', () => {
    const hostile = structuredClone(stats);
    hostile.labels.attack_types[1]!.en = '<script>alert("x")</script> & co';
    hostile.labels.causes[0]!.group_en = `O'Brien <b>`;
    hostile.labels.causes.slice(1, 6).forEach((r) => (r.group_en = `O'Brien <b>`));
    const html = renderStatsHtml(hostile, { lang: 'en' });
    expect(html).not.toMatch(/<script|<b>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(html).toContain('<th scope="rowgroup" rowspan="6">O&#39;Brien &lt;b&gt;</th>');
  });
});
