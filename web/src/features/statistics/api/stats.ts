import type { QueryClient } from '@tanstack/react-query';
import { useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../../shared/api/client';
import type { DataYears, InfoSharingAnswer, SectorStats, StatsFormat } from '../../../shared/api/types';
import { fiscalPeriodOf } from '../../../shared/format/dates';
import type { YearChoice } from '../model/years';
import { askedYear, chooseYear } from '../model/years';

/** Past fiscal years shown as totals before the year's quarters, as in the published table. */
const HISTORY = 4;

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
  void client.invalidateQueries({ queryKey: ['stats-years'] });
}

/** The fiscal years with figures this caller may see (GET /stats/years). */
export const dataYearsQuery = {
  queryKey: ['stats-years'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => api<DataYears>('/stats/years', { signal }),
};

/**
 * The fiscal year a page shows (`?fy=`, else the newest with data for this caller, else the running
 * one), whether it has data, and the years its selector offers. Until the years with data are in,
 * `fy` is undefined when none was asked for: the page waits rather than flash an empty year.
 */
export function useYearChoice(query: URLSearchParams, now = new Date()): YearChoice & { error: unknown } {
  const years = useQuery(dataYearsQuery);
  const current = fiscalPeriodOf(now).fiscalYear;
  const choice = chooseYear(askedYear(query), current, years.data?.years);
  // Without the list (the request failed, said by `error`) the page still opens, on the running year.
  if (choice.fy === undefined && years.error) choice.fy = current;
  return { ...choice, error: years.error };
}
