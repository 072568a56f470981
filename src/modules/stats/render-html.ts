import type { StatTable } from '../../domain/counting.js';
import { STAT_TABLES } from '../../domain/counting.js';
import type { ColumnState, InfoSharingStats } from '../../domain/info-sharing-stats.js';
import { formatFiscalYear } from '../../domain/japanese-era.js';
import type { SuppressedStats } from '../../domain/stats-suppression.js';
import { missingCellText, statsNotes } from './render-notes.js';

/**
 * The HTML rendering of the information-sharing statistics, plus the layout the spreadsheet
 * renderer shares with it (headings, block titles, row groups), so that the two cannot drift apart.
 */

export type StatsLang = 'ja' | 'en';

const TITLES: Record<StatsLang, (year: string) => string> = {
  ja: (year) => `重要インフラにおける情報共有件数 (${year})`,
  en: (year) => `Information sharing counts in critical infrastructure (${year})`,
};

/** The block headings of the published table. */
export const TABLE_TITLES: Record<StatTable, Record<StatsLang, string>> = {
  channels: { ja: '情報共有の実施形態', en: 'Sharing channels' },
  events: { ja: '事象の類型', en: 'Event types' },
  causes: { ja: '原因の類型（複数選択）', en: 'Cause types (multiple choice)' },
  attack_types: { ja: 'サイバー攻撃の類型', en: 'Cyber-attack types' },
};

export const LABEL_HEADINGS: Record<StatsLang, { group: string; row: string; unit: string }> = {
  ja: { group: '区分', row: '項目', unit: '単位：件' },
  en: { group: 'Category', row: 'Item', unit: 'Unit: reports' },
};

/**
 * `FY2019` -> 2019年度 / FY2019; `FY2023Q1` -> 2023年度 第1四半期 / FY2023 Q1; the column of the
 * statistics' own year without a quarter is its total (2023年度 計 / FY2023 total). With `era`,
 * the years are named by their era: 令和5年度 第1四半期 / FY Reiwa 5 Q1.
 */
export function columnHeading(column: string, fiscalYear: number, lang: StatsLang, era = false): string {
  const m = /^FY(\d{4})(?:Q([1-4]))?$/.exec(column);
  if (!m) return column;
  const fy = Number(m[1]);
  const quarter = m[2];
  const year = formatFiscalYear(fy, lang, era);
  if (lang === 'ja') {
    if (quarter) return `${year} 第${quarter}四半期`;
    return fy === fiscalYear ? `${year} 計` : year;
  }
  if (quarter) return `${year} Q${quarter}`;
  return fy === fiscalYear ? `${year} total` : year;
}

export interface LayoutRow {
  code: string;
  label: string;
  /** null: not available (see the column's state), or suppressed (see `marks`). */
  values: Array<number | null>;
  /** A public edition's text for each suppressed figure (≤2, x); null where none. */
  marks?: Array<string | null>;
}
/** Consecutive rows sharing a group; `label` is null for tables without groups. */
export interface LayoutGroup {
  label: string | null;
  rows: LayoutRow[];
}
export interface LayoutBlock {
  table: StatTable;
  title: string;
  grouped: boolean;
  groups: LayoutGroup[];
}
export interface StatsLayout {
  title: string;
  unit: string;
  columns: string[];
  columnStates: ColumnState[];
  blocks: LayoutBlock[];
  /** Published years' records beside their figures, and which columns are not final. */
  notes: string[];
}

/** The suppression a public edition applied (src/domain/stats-suppression.ts), when it did. */
type MaybeSuppressed = InfoSharingStats & Partial<Pick<SuppressedStats, 'marks' | 'threshold'>>;

/** The text in place of a figure: its suppression mark, else why the column has none. */
export function cellText(row: LayoutRow, column: number, layout: StatsLayout, lang: StatsLang): string {
  return row.marks?.[column] ?? missingCellText(layout.columnStates[column], lang);
}

export function statsLayout(stats: MaybeSuppressed, lang: StatsLang, era = false): StatsLayout {
  const heading = (c: string) => columnHeading(c, stats.fiscal_year, lang, era);
  const columns = stats.columns.map(heading);
  const blocks = STAT_TABLES.map((table): LayoutBlock => {
    const groups: LayoutGroup[] = [];
    let groupCode: string | undefined;
    for (const row of stats.labels[table]) {
      const values = stats.tables[table][row.code];
      // A missing or short row would silently shift figures under the wrong heading: refuse it.
      if (!values || values.length !== stats.columns.length) {
        throw new Error(
          `stats row ${table}/${row.code} has ${values?.length ?? 0} values for ${stats.columns.length} columns`,
        );
      }
      const groupLabel = row.group ? ((lang === 'ja' ? row.group_ja : row.group_en) ?? row.group) : null;
      const last = groups[groups.length - 1];
      const marks = stats.marks?.[table]?.[row.code];
      const layoutRow = {
        code: row.code,
        label: lang === 'ja' ? row.ja : row.en,
        values,
        ...(marks ? { marks } : {}),
      };
      if (last && row.group === groupCode) last.rows.push(layoutRow);
      else groups.push({ label: groupLabel, rows: [layoutRow] });
      groupCode = row.group;
    }
    return { table, title: TABLE_TITLES[table][lang], grouped: groups.some((g) => g.label !== null), groups };
  });
  return {
    title: TITLES[lang](formatFiscalYear(stats.fiscal_year, lang, era)),
    unit: LABEL_HEADINGS[lang].unit,
    columns,
    columnStates: stats.column_states ?? [],
    blocks,
    notes: [
      ...statsNotes(stats, lang, heading, (fy) => formatFiscalYear(fy, lang, era)),
      ...(stats.marks && stats.threshold ? [suppressionNote(stats.threshold, lang)] : []),
    ],
  };
}

function suppressionNote(threshold: number, lang: StatsLang): string {
  return lang === 'ja'
    ? `1〜${threshold - 1}件の区分は「≤${threshold - 1}」と表示し、合計から逆算できないよう他の区分の一部を「x」（秘匿）としています。`
    : `Counts of 1 to ${threshold - 1} are shown as “≤${threshold - 1}”; some other cells are shown as “x” (withheld) so that none can be recovered from the totals.`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

export const STATS_STYLE = `
body { font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin: 0 0 2rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding: 0.4rem 0; }
th, td { border: 1px solid #888; padding: 0.25rem 0.5rem; }
thead th { background: #eef; }
th[scope="row"], th[scope="rowgroup"] { text-align: left; font-weight: normal; }
td { text-align: right; font-variant-numeric: tabular-nums; }
td.na { color: #666; font-size: 0.8rem; }
.unit { font-size: 0.85rem; }
`;

export function renderBlock(block: LayoutBlock, layout: StatsLayout, lang: StatsLang): string {
  const h = LABEL_HEADINGS[lang];
  const labelHeads = block.grouped
    ? `<th scope="col">${escapeHtml(h.group)}</th><th scope="col">${escapeHtml(h.row)}</th>`
    : `<th scope="col" colspan="2">${escapeHtml(h.row)}</th>`;
  const head = `<thead><tr>${labelHeads}${layout.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
  const cells = (row: LayoutRow) =>
    row.values
      .map((v, i) =>
        v === null ? `<td class="na">${escapeHtml(cellText(row, i, layout, lang))}</td>` : `<td>${v}</td>`,
      )
      .join('');
  // One <tbody> per group: scope="rowgroup" then names exactly the rows it spans.
  const bodies = block.groups.map((group) => {
    const rows = group.rows.map((row, i) => {
      const groupCell =
        group.label !== null && i === 0
          ? `<th scope="rowgroup" rowspan="${group.rows.length}">${escapeHtml(group.label)}</th>`
          : '';
      const span = block.grouped ? '' : ' colspan="2"';
      return `<tr>${groupCell}<th scope="row"${span}>${escapeHtml(row.label)}</th>${cells(row)}</tr>`;
    });
    return `<tbody>\n${rows.join('\n')}\n</tbody>`;
  });
  return `<table id="${block.table}">\n<caption>${escapeHtml(block.title)}</caption>\n${head}\n${bodies.join('\n')}\n</table>`;
}

/** A standalone HTML5 document of the four tables; no scripts, no external resources. */
export function renderStatsHtml(
  stats: InfoSharingStats,
  opts: { lang?: StatsLang; era?: boolean } = {},
): string {
  const lang = opts.lang ?? 'ja';
  const layout = statsLayout(stats, lang, opts.era);
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(layout.title)}</title>`,
    `<style>${STATS_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(layout.title)}</h1>`,
    `<p class="unit">${escapeHtml(layout.unit)}</p>`,
    ...layout.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`),
    ...layout.blocks.map((b) => renderBlock(b, layout, lang)),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
