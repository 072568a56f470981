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
import { useCan } from '../../auth/api/session';
import { SavedFilters } from '../components/saved-filters';
import type { Filter, Filters } from '../model/list-filters';
import { apiFilters, filtersOf, opensOnOwn, ORDERINGS } from '../model/list-filters';
import '../components/list.css';

const PAGE_SIZE = 50;

export function IncidentsPage() {
  const { t, i18n } = useTranslation();
  const { query } = useLocation();
  const ownByDefault = opensOnOwn(useCan());
  const filters = filtersOf(query, ownByDefault);
  const asked = apiFilters(filters);
  const list = useInfiniteQuery({
    queryKey: ['incidents', asked],
    queryFn: ({ pageParam, signal }) =>
      api<IncidentPage>(`/incidents${queryString({ ...asked, limit: PAGE_SIZE, cursor: pageParam })}`, {
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const first = list.data?.pages[0];
  const total = first?.total;

  const setFilter = (name: Filter, value: string) => {
    const next: Filters = { ...filters, [name]: value || undefined };
    if (name === 'fy' && !value) delete next.quarter;
    // Showing every organisation's records is said in the address where the default is one's own.
    if (name === 'mine' && !value && ownByDefault) next.mine = 'false';
    navigate(`/incidents${queryString(next)}`, { replace: true, keepFocus: true });
  };
  const setOrdering = (value: string) => {
    const [sort, order] = value.split(':');
    const next: Filters = { ...filters, sort, order };
    if (value === ORDERINGS[0]) {
      delete next.sort;
      delete next.order;
    }
    navigate(`/incidents${queryString(next)}`, { replace: true, keepFocus: true });
  };
  const csv = `/api/v1/incidents.csv${queryString({ ...asked, lang: i18n.language === 'en' ? 'en' : 'ja' })}`;

  return (
    <>
      <PageHeading title={t('incidentList.title')}>{t('incidentList.title')}</PageHeading>
      <FilterForm filters={filters} onChange={setFilter} />
      <SavedFilters current={asked} />
      <ErrorMessage error={list.error} />
      {list.isPending ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <>
          <div className="list-summary">
            <p role="status" id="incident-total">
              {total !== undefined && total !== null
                ? t(first?.total_capped ? 'incidentList.totalAtLeast' : 'incidentList.total', {
                    count: total,
                    shown: items.length,
                  })
                : t('incidents.shown', { count: items.length })}
            </p>
            <label>
              {t('incidentList.sort.label')}
              <select
                value={`${filters.sort ?? 'received'}:${filters.order ?? 'desc'}`}
                onChange={(e) => setOrdering(e.target.value)}
              >
                {ORDERINGS.map((o) => (
                  <option key={o} value={o}>
                    {t(`incidentList.sort.${o.replace(':', '_')}`)}
                  </option>
                ))}
              </select>
            </label>
            <a className="button secondary" href={csv} download="kyoyu-incidents.csv" id="incident-csv">
              {t('incidentList.csv')}
            </a>
          </div>
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

function FilterForm({
  filters,
  onChange,
}: {
  filters: Filters;
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
      {select(
        'channel',
        (['operator_report', 'agency_share', 'center_provision'] as const).map((c) => ({
          value: c,
          label: t(`incidentList.kinds.${c}`),
        })),
      )}
      <label>
        {t('incidentList.mine.label')}
        <select
          value={filters.mine === 'true' ? 'true' : ''}
          onChange={(e) => onChange('mine', e.target.value)}
        >
          <option value="">{t('incidentList.mine.all')}</option>
          <option value="true">{t('incidentList.mine.own')}</option>
        </select>
      </label>
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
            <th scope="col">{t('incidentList.kind')}</th>
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
              <td>
                {t(`incidentList.kinds.${incident.channel}`, {
                  defaultValue: label('channels', incident.channel),
                })}
              </td>
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
