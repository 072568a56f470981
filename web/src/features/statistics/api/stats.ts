import type { QueryClient } from '@tanstack/react-query';
import { api, queryString } from '../../../shared/api/client';
import type { InfoSharingAnswer, SectorStats, StatsFormat } from '../../../shared/api/types';
import { fiscalPeriodOf } from '../../../shared/format/dates';

/** Past fiscal years shown as totals before the year's quarters, as in the published table. */
const HISTORY = 4;
/** The fiscal years the year selectors offer: this one and the nine before it. */
const YEARS_OFFERED = 10;

/**
 * The statistics of a fiscal year, the one request the statistics page, the dashboard and the
 * classify page make: one query key, so all three share one cached answer.
 */
export function statsQuery(fy: number) {
  return {
    queryKey: ['stats', fy] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<InfoSharingAnswer>(`/stats/info-sharing${queryString({ fy, history: HISTORY })}`, { signal }),
  };
}

/** The same tables as a file (XLSX, CSV, JSON): a link the browser downloads with the session cookie. */
export function statsDownload(fy: number, format: StatsFormat, era = false): string {
  // The era display names the workbook's years by era too (令和5年度), as the page does.
  const naming = era && format === 'xlsx' ? { era: 'true' } : {};
  return `/api/v1/stats/info-sharing${queryString({ fy, history: HISTORY, format, ...naming })}`;
}

export function sectorsQuery(fy: number) {
  return {
    queryKey: ['sectors', fy] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<SectorStats>(`/stats/sectors${queryString({ fy })}`, { signal }),
  };
}

/** After closing or reopening a quarter: every cached figure of the year may have moved. */
export function invalidateStatistics(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: ['stats'] });
  void client.invalidateQueries({ queryKey: ['sectors'] });
}

/**
 * The fiscal year a page shows (`?fy=`, else the running one), the running one, and the years its
 * selector offers (the asked one too, when it is older).
 */
export function fiscalYearChoice(query: URLSearchParams, now = new Date()) {
  const current = fiscalPeriodOf(now).fiscalYear;
  const asked = Number(query.get('fy'));
  const fy = Number.isInteger(asked) && asked >= 1900 && asked <= 9999 ? asked : current;
  const years = Array.from({ length: YEARS_OFFERED }, (_, i) => current - i);
  if (!years.includes(fy)) years.push(fy);
  return { fy, current, years };
}
