import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InfoSharingStats, StatsFormat, StatsRowLabel, StatTable } from '../../../shared/api/types';
import { STAT_TABLES } from '../../../shared/api/types';
import { ErrorMessage } from '../../../shared/components/error-message';
import { useMissingText } from '../../../shared/components/missing-figure';
import { PageHeading } from '../../../shared/components/page-heading';
import { TableScroll } from '../../../shared/components/table-scroll';
import { navigate, useLocation } from '../../../shared/router';
import { useCan } from '../../auth/api/session';
import { statsDownload, statsQuery, useYearChoice } from '../api/stats';
import { useEraDisplay } from '../../../shared/preferences';
import { NoData } from '../components/no-data';
import { QuarterStates } from '../components/quarter-states';

/** 重要インフラにおける情報共有件数: the four tables of a fiscal year, laid out as published. */
export function StatisticsPage() {
  const { t } = useTranslation();
  const { query } = useLocation();
  const choice = useYearChoice(query);
  const title = choice.fy === undefined ? t('nav.statistics') : t('stats.title', { fy: choice.fy });
  // One heading throughout: it takes the focus after a navigation, so it stays the same element.
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      {choice.fy === undefined ? (
        // Which year to open on is not known yet (the years with data are on their way).
        <>
          <ErrorMessage error={choice.error} />
          <p role="status">{t('common.loading')}</p>
        </>
      ) : (
        <YearStatistics {...choice} fy={choice.fy} />
      )}
    </>
  );
}

/** One fiscal year's tables, its selector and downloads; a year without figures says so. */
function YearStatistics({
  fy,
  years,
  hasData,
  latest,
}: {
  fy: number;
  years: number[];
  hasData: boolean | undefined;
  latest: number | null | undefined;
}) {
  const { t } = useTranslation();
  const stats = useQuery(statsQuery(fy));
  const era = useEraDisplay();
  const can = useCan();
  const download = (format: StatsFormat) => statsDownload(fy, format, era);
  return (
    <>
      <div className="toolbar">
        <label>
          {t('stats.fiscalYear')}
          <select
            value={fy}
            onChange={(e) => navigate(`/statistics?fy=${e.target.value}`, { replace: true, keepFocus: true })}
          >
            {years.map((y) => (
              <option key={y} value={y}>
                {t('common.fy', { fy: y })}
              </option>
            ))}
          </select>
        </label>
        <nav aria-label={t('stats.downloads')} className="downloads">
          <span>{t('stats.downloads')}:</span>
          <a href={download('xlsx')} download>
            XLSX
          </a>
          <a href={download('csv')} download>
            CSV
          </a>
          <a href={download('json')} download={`kyoyu-info-sharing-fy${fy}.json`}>
            JSON
          </a>
        </nav>
      </div>
      <p className="hint">{t('stats.unit')}</p>
      {hasData === false && latest !== undefined && <NoData fy={fy} latest={latest} page="/statistics" />}
      <ErrorMessage error={stats.error} />
      {stats.isPending && <p role="status">{t('common.loading')}</p>}
      {stats.data && (
        <>
          <QuarterStates stats={stats.data} center={can('periods:read')} manage={can('periods:manage')} />
          <PublishedNote stats={stats.data} />
          {STAT_TABLES.map((table) => (
            <StatsTable key={table} stats={stats.data} table={table} />
          ))}
          <SourcesNote stats={stats.data} />
        </>
      )}
    </>
  );
}

function useColumnHeading() {
  const { t } = useTranslation();
  return (column: string, fiscalYear: number) => {
    const m = /^FY(\d{4})(?:Q([1-4]))?$/.exec(column);
    if (!m) return column;
    if (m[2]) return t('stats.quarter', { q: m[2] });
    return Number(m[1]) === fiscalYear ? t('stats.total') : t('common.fy', { fy: m[1] });
  };
}

interface Group {
  label: string | null;
  rows: StatsRowLabel[];
}

function groupsOf(labels: StatsRowLabel[], lang: string): Group[] {
  const groups: Group[] = [];
  let code: string | null | undefined;
  for (const row of labels) {
    const last = groups.at(-1);
    if (last && (row.group ?? null) === code) last.rows.push(row);
    else {
      const label = row.group ? ((lang === 'en' ? row.group_en : row.group_ja) ?? row.group) : null;
      groups.push({ label, rows: [row] });
    }
    code = row.group ?? null;
  }
  return groups;
}

function StatsTable({ stats, table }: { stats: InfoSharingStats; table: StatTable }) {
  const { t, i18n } = useTranslation();
  const heading = useColumnHeading();
  const missing = useMissingText();
  const groups = groupsOf(stats.labels[table], i18n.language);
  const grouped = groups.some((g) => g.label !== null);
  const past = stats.columns.slice(0, -5);
  const year = stats.columns.slice(-5);
  return (
    <TableScroll label={t(`stats.tables.${table}`)}>
      <table className="stats" id={`stats-${table}`}>
        <caption>{t(`stats.tables.${table}`)}</caption>
        <thead>
          <tr>
            {grouped && (
              <th scope="col" rowSpan={2}>
                {t('stats.group')}
              </th>
            )}
            <th scope="col" rowSpan={2} colSpan={grouped ? 1 : 2}>
              {t('stats.item')}
            </th>
            {past.map((c) => (
              <th key={c} scope="col" rowSpan={2}>
                {heading(c, stats.fiscal_year)}
              </th>
            ))}
            <th scope="colgroup" colSpan={year.length}>
              {t('common.fy', { fy: stats.fiscal_year })}
            </th>
          </tr>
          <tr>
            {year.map((c) => (
              <th key={c} scope="col">
                {heading(c, stats.fiscal_year)}
              </th>
            ))}
          </tr>
        </thead>
        {groups.map((group, g) => (
          <tbody key={g}>
            {group.rows.map((row, i) => (
              <tr key={row.code} data-code={row.code}>
                {group.label !== null && i === 0 && (
                  <th scope="rowgroup" rowSpan={group.rows.length}>
                    {group.label}
                  </th>
                )}
                {group.label === null && grouped && i === 0 && <td rowSpan={group.rows.length} />}
                <th scope="row" colSpan={grouped ? 1 : 2}>
                  {i18n.language === 'en' ? row.en : row.ja}
                </th>
                {(stats.tables[table][row.code] ?? []).map((value, c) =>
                  value === null ? (
                    <td key={c} className={`na ${stats.column_states[c] ?? ''}`}>
                      {missing(stats.column_states[c])}
                    </td>
                  ) : (
                    <td key={c}>{value}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </TableScroll>
  );
}

/** Which columns come from published aggregates rather than the records held here. */
function SourcesNote({ stats }: { stats: InfoSharingStats }) {
  const { t } = useTranslation();
  const heading = useColumnHeading();
  const published = stats.columns.filter((_, i) => stats.column_sources[i] === 'aggregates');
  if (published.length === 0) return null;
  return (
    <p className="hint">
      {t('stats.fromAggregates', {
        columns: published.map((c) => heading(c, stats.fiscal_year)).join(t('common.listSeparator')),
      })}
    </p>
  );
}

/** Published years keep their published figures; the records they hold are said beside them. */
function PublishedNote({ stats }: { stats: InfoSharingStats }) {
  const { t } = useTranslation();
  if (stats.published_years.length === 0) return null;
  return (
    <ul className="hint published-years">
      {stats.published_years.map((p) => (
        <li key={p.fiscal_year} data-fy={p.fiscal_year}>
          {p.records === null
            ? t('stats.publishedYear', { fy: p.fiscal_year })
            : t('stats.recordsBeside', { fy: p.fiscal_year, count: p.records })}
        </li>
      ))}
    </ul>
  );
}
