import { STAT_TABLES } from '../../domain/counting.js';
import type { InfoSharingStats } from '../../domain/info-sharing-stats.js';

/** Quotes a field only when RFC 4180 requires it (comma, double quote, CR or LF). */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The statistics as one long CSV: one row per table row, with the machine code next to the labels
 * so that scripts can key on codes while people read the labels.
 *
 * A figure that is not available is an empty field; two `meta` rows at the end say why per
 * column (`column_state`: published, closed, open) and how many records a published year holds
 * beside its published figures (`records_beside_published`, in the year's column).
 *
 * The BOM is on by default because Excel in a Japanese locale reads a BOM-less CSV as Shift_JIS
 * and garbles every label.
 */
export function renderStatsCsv(stats: InfoSharingStats, opts: { bom?: boolean } = {}): string {
  const lines: string[][] = [['table', 'code', 'group_ja', 'label_ja', 'label_en', ...stats.columns]];
  for (const table of STAT_TABLES) {
    for (const row of stats.labels[table]) {
      const values = stats.tables[table][row.code];
      if (!values || values.length !== stats.columns.length) {
        throw new Error(
          `stats row ${table}/${row.code} has ${values?.length ?? 0} values for ${stats.columns.length} columns`,
        );
      }
      lines.push([
        table,
        row.code,
        row.group_ja ?? '',
        row.ja,
        row.en,
        ...values.map((v) => (v === null ? '' : String(v))),
      ]);
    }
  }
  const states = stats.column_states ?? [];
  lines.push(['meta', 'column_state', '', '状態', 'state', ...stats.columns.map((_, i) => states[i] ?? '')]);
  const records = new Map((stats.published_years ?? []).map((p) => [`FY${p.fiscal_year}`, p.records]));
  lines.push([
    'meta',
    'records_beside_published',
    '',
    '公表値に含まれない記録',
    'records beside the published figures',
    ...stats.columns.map((c) => String(records.get(c) ?? '')),
  ]);
  const body = lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
  return (opts.bom ?? true) ? `\uFEFF${body}` : body;
}
