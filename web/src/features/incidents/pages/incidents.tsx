import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, queryString } from '../../../shared/api/client';
import { labelOf, useLabel, useTaxonomy } from '../../../shared/api/taxonomy';
import type { IncidentPage, Labelled } from '../../../shared/api/types';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import { fiscalPeriodOf } from '../../../shared/format/dates';
import { Link, navigate, useLocation } from '../../../shared/router';

/** The list's filters: exactly the API's, kept in the address so that a filtered list can be shared. */
const FILTERS = [
  'q',
  'fy',
  'quarter',
  'sector',
  'channel',
  'event',
  'cause',
  'attack_type',
  'stage',
] as const;
type Filter = (typeof FILTERS)[number];
const PAGE_SIZE = 50;

export function IncidentsPage() {
  const { t } = useTranslation();
  const { query } = useLocation();
  const filters = Object.fromEntries(
    FILTERS.map((f) => [f, query.get(f) ?? undefined]).filter(([, v]) => v),
  ) as Partial<Record<Filter, string>>;
  const list = useInfiniteQuery({
    queryKey: ['incidents', filters],
    queryFn: ({ pageParam, signal }) =>
      api<IncidentPage>(`/incidents${queryString({ ...filters, limit: PAGE_SIZE, cursor: pageParam })}`, {
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  const setFilter = (name: Filter, value: string) => {
    const next = { ...filters, [name]: value || undefined };
    if (name === 'fy' && !value) delete next.quarter;
    navigate(`/incidents${queryString(next)}`, { replace: true, keepFocus: true });
  };

  return (
    <>
      <PageHeading title={t('incidents.title')}>{t('incidents.title')}</PageHeading>
      <Filters filters={filters} onChange={setFilter} />
      <ErrorMessage error={list.error} />
      {list.isPending ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <>
          <p role="status" className="hint">
            {t('incidents.shown', { count: items.length })}
          </p>
          <IncidentTable items={items} />
          {list.hasNextPage && (
            <button
              type="button"
              onClick={() => void list.fetchNextPage()}
              disabled={list.isFetchingNextPage}
            >
              {list.isFetchingNextPage ? t('common.loading') : t('incidents.more')}
            </button>
          )}
        </>
      )}
    </>
  );
}

function Filters({
  filters,
  onChange,
}: {
  filters: Partial<Record<Filter, string>>;
  onChange: (name: Filter, value: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const taxonomy = useTaxonomy().data;
  const current = fiscalPeriodOf(new Date()).fiscalYear;
  const years = Array.from({ length: 10 }, (_, i) => String(current - i));
  const options = (entries: Labelled[] | undefined) =>
    (entries ?? []).map((e) => ({ value: e.code, label: labelOf(e, i18n.language) }));
  const select = (name: Filter, entries: Array<{ value: string; label: string }>, disabled = false) => (
    <label key={name}>
      {t(`incidents.filters.${name}`)}
      <select
        value={filters[name] ?? ''}
        onChange={(e) => onChange(name, e.target.value)}
        disabled={disabled}
      >
        <option value="">{t('incidents.filters.all')}</option>
        {entries.map((e) => (
          <option key={e.value} value={e.value}>
            {e.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form
      className="filters"
      role="search"
      aria-label={t('incidents.filters.label')}
      onSubmit={(e) => {
        // Free text applies on Enter (or the button), not on every keystroke: each search reads
        // the whole list of incidents the caller may see.
        e.preventDefault();
        const q = new FormData(e.currentTarget).get('q');
        onChange('q', typeof q === 'string' ? q.trim() : '');
      }}
    >
      <label className="search">
        {t('incidents.filters.q')}
        <input type="search" name="q" key={filters.q ?? ''} defaultValue={filters.q ?? ''} maxLength={200} />
      </label>
      <button type="submit">{t('incidents.filters.search')}</button>
      {select(
        'fy',
        years.map((y) => ({ value: y, label: t('common.fy', { fy: y }) })),
      )}
      {select(
        'quarter',
        ['1', '2', '3', '4'].map((q) => ({ value: q, label: t('stats.quarter', { q }) })),
        !filters.fy,
      )}
      {select('sector', options(taxonomy?.sectors))}
      {select('channel', options(taxonomy?.channels))}
      {select('event', options(taxonomy?.events))}
      {select('cause', options(taxonomy?.causes))}
      {select('attack_type', options(taxonomy?.attack_types))}
      {select('stage', options(taxonomy?.report_stages))}
      <button
        type="button"
        className="secondary"
        onClick={() => navigate('/incidents', { replace: true, keepFocus: true })}
      >
        {t('incidents.filters.clear')}
      </button>
    </form>
  );
}

function IncidentTable({ items }: { items: IncidentPage['items'] }) {
  const { t } = useTranslation();
  const label = useLabel();
  if (items.length === 0) return <p>{t('incidents.none')}</p>;
  return (
    <div className="table-scroll">
      <table className="incidents" id="incident-list">
        <caption className="visually-hidden">{t('incidents.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('incidents.columns.received')}</th>
            <th scope="col">{t('incidents.columns.ref')}</th>
            <th scope="col">{t('incidents.columns.title')}</th>
            <th scope="col">{t('incidents.columns.organization')}</th>
            <th scope="col">{t('incidents.columns.sector')}</th>
            <th scope="col">{t('incidents.columns.channel')}</th>
            <th scope="col">{t('incidents.columns.stage')}</th>
            <th scope="col">{t('incidents.columns.quarter')}</th>
            <th scope="col">TLP</th>
          </tr>
        </thead>
        <tbody>
          {items.map((incident) => (
            <tr key={incident.id}>
              <td className="nowrap">
                <DateTime iso={incident.first_received_at} />
              </td>
              <td className="nowrap">{incident.ref}</td>
              <td className="title">
                <Link href={`/incidents/${incident.id}`}>{incident.title}</Link>
              </td>
              <td>{incident.organization ?? '—'}</td>
              <td className="sector">{label('sectors', incident.sector)}</td>
              <td>{label('channels', incident.channel)}</td>
              <td className="nowrap">{label('report_stages', incident.stage)}</td>
              <td className="nowrap">
                {t('incidents.fyQuarter', { fy: incident.fiscal_year, q: incident.fiscal_quarter })}
              </td>
              <td>
                <TlpBadge tlp={incident.tlp} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
