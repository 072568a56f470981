import type { ColumnState, InfoSharingStats } from '../../domain/info-sharing-stats.js';

/**
 * What every rendering says beside the figures: how many records a published year holds that its
 * published figures do not count, and which columns are not final. Shared by HTML, XLSX and CSV so
 * that the formats cannot drift apart.
 */
type Lang = 'ja' | 'en';

const NOT_FINAL: Record<Lang, string> = { ja: '未確定', en: 'not yet final' };
const NOT_PUBLISHED: Record<Lang, string> = { ja: '—', en: '—' };

/** The text shown in place of a figure that is not available: an open quarter, or a quarter never published. */
export function missingCellText(state: ColumnState | undefined, lang: Lang): string {
  return state === 'open' ? NOT_FINAL[lang] : NOT_PUBLISHED[lang];
}

export function statsNotes(
  stats: InfoSharingStats,
  lang: Lang,
  heading: (column: string) => string,
  yearName: (fiscalYear: number) => string = (fy) => (lang === 'ja' ? `${fy}年度` : `FY${fy}`),
): string[] {
  const notes = (stats.published_years ?? []).map(({ fiscal_year: fy, records }) =>
    records === null
      ? lang === 'ja'
        ? `${yearName(fy)}は公表値です。`
        : `${yearName(fy)} shows the published figures.`
      : lang === 'ja'
        ? `${yearName(fy)}は公表値です。この年度の記録 ${records} 件は公表値に含まれていません。`
        : `${yearName(fy)} shows the published figures; the ${records} record${records === 1 ? '' : 's'} held for that year ${records === 1 ? 'is' : 'are'} not counted in them.`,
  );
  const open = stats.columns.filter((_, i) => stats.column_states?.[i] === 'open').map(heading);
  if (open.length > 0)
    notes.push(
      lang === 'ja'
        ? `未確定（センターが締めていない四半期を含む）: ${open.join('、')}`
        : `Not yet final (quarters the center has not closed): ${open.join(', ')}`,
    );
  return notes;
}
