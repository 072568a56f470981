import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { InfoSharingStats, SectorStats, StatTable } from '../../../shared/api/types';
import { STAT_TABLES } from '../../../shared/api/types';
import { ErrorMessage } from '../../../shared/components/error-message';
import { useMissingText } from '../../../shared/components/missing-figure';
import { PageHeading } from '../../../shared/components/page-heading';
import { TableScroll } from '../../../shared/components/table-scroll';
import type { ChartSpec } from '../components/echart';
import { ChartFigure } from '../components/chart-figure';
import type { FiscalPeriod } from '../../../../../src/domain/fiscal-calendar.js';
import { fiscalPeriodOf } from '../../../shared/format/dates';
import { NS } from '../../../shared/i18n/dashboard';
import { navigate, useLocation } from '../../../shared/router';
import { sectorsQuery, statsQuery, useYearChoice } from '../../statistics/api/stats';
import { NoData } from '../../statistics/components/no-data';
import { isFutureColumn } from '../model/series';
import { ResponseTimesSection } from '../components/response-times';
import { useCan } from '../../auth/api/session';
import '../components/dashboard.css';

/**
 * ECharts (about 180 kB of compressed script) is a chunk of its own that only the dashboard loads.
 * The page starts fetching it as it opens, beside its statistics requests, rather than once the
 * numbers are in: on a slow machine that overlap is a few hundred milliseconds of the first view.
 */
const loadEChart = () => import('../components/echart');

/** The quarter and the year at a glance per channel, and the four tables and the sectors as charts. */
export function DashboardPage() {
  const { t } = useTranslation(NS);
  const can = useCan();
  useEffect(() => void loadEChart(), []);
  const { query } = useLocation();
  const now = new Date();
  const running = fiscalPeriodOf(now);
  const { fy, current, years, hasData, latest, error } = useYearChoice(query, now);
  const stats = useQuery({ ...statsQuery(fy ?? 0), enabled: fy !== undefined });
  const sectors = useQuery({ ...sectorsQuery(fy ?? 0), enabled: fy !== undefined });
  // For a past year its last quarter; for the running year this quarter, or outside the center
  // (who sees an open quarter as 未確定 only) the newest quarter whose figures the caller sees.
  const quarter =
    fy === current
      ? stats.data
        ? newestShownQuarter(stats.data, running.quarter)
        : running.quarter
      : fy !== undefined && fy < current
        ? 4
        : 1;
  const title = fy === undefined ? t('nav.dashboard') : t('dashboard.title', { fy });

  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      {fy !== undefined && (
        <div className="toolbar">
          <label>
            {t('stats.fiscalYear', { ns: 'translation' })}
            <select
              value={fy}
              onChange={(e) =>
                navigate(`/dashboard?fy=${e.target.value}`, { replace: true, keepFocus: true })
              }
            >
              {years.map((y) => (
                <option key={y} value={y}>
                  {t('common.fy', { ns: 'translation', fy: y })}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <ErrorMessage error={error ?? stats.error ?? sectors.error} />
      {(fy === undefined || stats.isPending) && (
        <p role="status">{t('common.loading', { ns: 'translation' })}</p>
      )}
      {fy !== undefined && hasData === false && latest !== undefined && (
        <NoData fy={fy} latest={latest} page="/dashboard" />
      )}
      {stats.data && hasData !== false && (
        <>
          <Glance
            stats={stats.data}
            quarter={quarter}
            running={fy === current && quarter === running.quarter}
          />
          {/* Per-incident times are the center's working material (GET /stats/response-times). */}
          {can('periods:read') && <ResponseTimesSection fy={stats.data.fiscal_year} quarter={quarter} />}
          <h2>{t('dashboard.trends')}</h2>
          <div className="charts">
            {STAT_TABLES.map((table) => (
              <TableCharts key={table} stats={stats.data} table={table} now={running} />
            ))}
          </div>
        </>
      )}
      {sectors.data && hasData !== false && (
        <div className="charts">
          <SectorChart sectors={sectors.data} now={running} />
        </div>
      )}
    </>
  );
}

/**
 * The running year's newest quarter up to this one with figures for the caller: this quarter for
 * the center (open quarters live), the newest closed one for everyone else.
 */
function newestShownQuarter(stats: InfoSharingStats, now: number): number {
  const values = Object.values(stats.tables.channels);
  for (let q = now; q >= 1; q--) {
    const i = stats.columns.indexOf(`FY${stats.fiscal_year}Q${q}`);
    if (i >= 0 && values.some((row) => typeof row?.[i] === 'number')) return q;
  }
  // No quarter closed yet: this quarter, 未確定.
  return now;
}

function Glance({ stats, quarter, running }: { stats: InfoSharingStats; quarter: number; running: boolean }) {
  const { t, i18n } = useTranslation(NS);
  const fy = stats.fiscal_year;
  const column = stats.columns.indexOf(`FY${fy}Q${quarter}`);
  const total = stats.columns.indexOf(`FY${fy}`);
  const previous = stats.columns.indexOf(`FY${fy - 1}`);
  const quarterName = running
    ? t('dashboard.quarterNow', { q: quarter })
    : t('dashboard.quarterLatest', { q: quarter });
  const format = new Intl.NumberFormat(i18n.language);
  const missing = useMissingText();
  const cell = (values: Array<number | null> | undefined, i: number) =>
    i >= 0 && values ? values[i] : undefined;
  // A figure withheld from this caller is said so, never drawn as 0.
  const shown = (values: Array<number | null> | undefined, i: number) => {
    const v = cell(values, i);
    return v === null ? missing(stats.column_states[i]) : format.format(v ?? 0);
  };
  return (
    <section aria-labelledby="glance-heading">
      <h2 id="glance-heading">{t('dashboard.glance')}</h2>
      <p className="hint">{t('dashboard.glanceHint', { quarter: quarterName, fy })}</p>
      <TableScroll label={t('dashboard.glance')}>
        <table className="stats glance" id="glance">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.channel')}</th>
              <th scope="col">{quarterName}</th>
              <th scope="col">{t('dashboard.fyTotal', { fy })}</th>
              {previous >= 0 && <th scope="col">{t('dashboard.previousFy', { fy: fy - 1 })}</th>}
              {previous >= 0 && <th scope="col">{t('dashboard.change')}</th>}
            </tr>
          </thead>
          <tbody>
            {stats.labels.channels.map((row) => {
              const values = stats.tables.channels[row.code];
              const year = cell(values, total);
              const before = cell(values, previous);
              const change =
                typeof year === 'number' && typeof before === 'number' ? year - before : undefined;
              return (
                <tr key={row.code} data-code={row.code}>
                  <th scope="row">{i18n.language === 'en' ? row.en : row.ja}</th>
                  <td className="quarter">{shown(values, column)}</td>
                  <td className="fy-total">{shown(values, total)}</td>
                  {previous >= 0 && <td className="previous">{shown(values, previous)}</td>}
                  {previous >= 0 && (
                    <td className="change">
                      {change === undefined ? '—' : `${change > 0 ? '+' : ''}${format.format(change)}`}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function useColumnName() {
  const { t } = useTranslation(NS);
  return (column: string) => {
    const m = /^FY(\d{4})(?:Q([1-4]))?$/.exec(column);
    if (!m) return column;
    if (m[2]) return t('stats.quarter', { ns: 'translation', q: m[2] });
    return t('common.fy', { ns: 'translation', fy: m[1] });
  };
}

function TableCharts({
  stats,
  table,
  now,
}: {
  stats: InfoSharingStats;
  table: StatTable;
  now: FiscalPeriod;
}) {
  const { t, i18n } = useTranslation(NS);
  const columnName = useColumnName();
  const missing = useMissingText();
  const fy = stats.fiscal_year;
  const tableName = t(`stats.tables.${table}`, { ns: 'translation' });
  // The attack-type table's total row is the sum of the others: stacked with them it would count twice.
  const labels = stats.labels[table].filter((row) => row.code !== 'total');
  const name = (row: (typeof labels)[number]) => (i18n.language === 'en' ? row.en : row.ja);
  // Across fiscal years: the past years' totals, then this year's total.
  const yearColumns = stats.columns.map((c, i) => [c, i] as const).filter(([c]) => /^FY\d{4}$/.test(c));
  const quarterColumns = stats.columns.map((c, i) => [c, i] as const).filter(([c]) => /Q[1-4]$/.test(c));
  const build = (columns: ReadonlyArray<readonly [string, number]>): ChartSpec => ({
    kind: 'bar',
    categories: columns.map(([c]) => columnName(c)),
    series: labels.map((row) => ({
      name: name(row),
      // A quarter still to come has no figure: a gap, not 0.
      data: columns.map(([c, i]) => {
        if (isFutureColumn(c, now)) return null;
        const v = stats.tables[table][row.code]?.[i];
        return v === undefined ? 0 : v;
      }),
      missing: columns.map(([c, i]) => (isFutureColumn(c, now) ? '—' : missing(stats.column_states[i]))),
    })),
  });
  return (
    <>
      <ChartFigure
        id={`chart-${table}-years`}
        title={t('dashboard.acrossYears', { table: tableName })}
        spec={build(yearColumns)}
        fileBase={`kyoyu-${table}-fy${yearColumns[0]?.[0].slice(2) ?? fy}-fy${fy}`}
      />
      <ChartFigure
        id={`chart-${table}-quarters`}
        title={t('dashboard.acrossQuarters', { table: tableName, fy })}
        spec={{ ...build(quarterColumns), kind: 'line' }}
        fileBase={`kyoyu-${table}-fy${fy}-quarters`}
      />
    </>
  );
}

function SectorChart({ sectors, now }: { sectors: SectorStats; now: FiscalPeriod }) {
  const { t, i18n } = useTranslation(NS);
  const missing = useMissingText();
  const fy = sectors.fiscal_year;
  const spec = useMemo<ChartSpec>(
    () => ({
      kind: 'bar',
      horizontal: true,
      categories: sectors.rows.map((r) => (i18n.language === 'en' ? r.en : r.ja)),
      // A quarter still to come is no series at all (its bars would all be 0).
      series: [1, 2, 3, 4]
        .filter((q) => !isFutureColumn(`FY${fy}Q${q}`, now))
        .map((q) => ({
          name: t('stats.quarter', { ns: 'translation', q }),
          data: sectors.rows.map((r) => (r.values[q - 1] === undefined ? 0 : r.values[q - 1]!)),
          missing: sectors.rows.map((r) => missing(r.states[q - 1])),
        })),
    }),
    [sectors, i18n.language, t, missing, fy, now],
  );
  return (
    <ChartFigure
      id="chart-sectors"
      title={t('dashboard.sectors', { fy })}
      spec={spec}
      wide
      fileBase={`kyoyu-sectors-fy${fy}`}
      total
    />
  );
}
