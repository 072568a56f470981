import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../../../shared/api/taxonomy';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { TableScroll } from '../../../shared/components/table-scroll';
import { Link } from '../../../shared/router';
import type { FollowUpOrganization, FollowUpView, ReminderTarget } from '../api/advisories';
import { followUpQuery, invalidateAdvisories, sendReminder } from '../api/advisories';
import { useLocalized } from '../components/badges';
import '../components/advisories.css';

/**
 * フォローアップ (the center): per sector, each recipient organisation's read, acknowledgement and
 * action status; the ones that have not acknowledged stand out; reminders to them.
 */
export function FollowUpPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const text = useLocalized();
  const followUp = useQuery(followUpQuery(id));
  const title = t('advisories.followUp.title');
  const back = (
    <p>
      <Link href={`/advisories/${id}`}>{t('advisories.followUp.back')}</Link>
    </p>
  );
  if (followUp.isPending) return <p role="status">{t('common.loading')}</p>;
  if (followUp.isError)
    return (
      <>
        {back}
        <PageHeading title={title}>{title}</PageHeading>
        <ErrorMessage error={followUp.error} />
      </>
    );
  const data = followUp.data;
  return (
    <>
      {back}
      <PageHeading title={`${title}: ${text(data.advisory.content.title)}`}>
        {title}
        <span className="block subtitle">{text(data.advisory.content.title)}</span>
      </PageHeading>
      <Totals data={data} />
      {data.advisory.actions.includes('remind') && <Reminders id={id} data={data} />}
      {data.sectors.map((s) => (
        <SectorTable key={s.sector ?? ''} sector={s.sector} organizations={s.organizations} />
      ))}
    </>
  );
}

function Totals({ data }: { data: FollowUpView }) {
  const { t } = useTranslation();
  const { totals } = data;
  const figures = [
    ['recipients', totals.recipients],
    ['read', totals.read],
    ['acknowledged', totals.acknowledged],
    ['unacknowledged', totals.recipients - totals.acknowledged],
    ['acted', totals.acted],
  ] as const;
  return (
    <dl className="summary totals" data-testid="follow-up-totals">
      {figures.map(([key, n]) => (
        <div key={key} data-total={key}>
          <dt>{t(`advisories.followUp.totals.${key}`)}</dt>
          <dd>{t('advisories.followUp.organizationsN', { count: n })}</dd>
        </div>
      ))}
    </dl>
  );
}

function Reminders({ id, data }: { id: number; data: FollowUpView }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const remind = useMutation({
    mutationFn: (to: ReminderTarget) => sendReminder(id, to),
    onSettled: () => invalidateAdvisories(client),
  });
  const all = data.sectors.flatMap((s) => s.organizations);
  const counts: Record<ReminderTarget, number> = {
    unacknowledged: all.filter((o) => !o.acknowledged_at).length,
    no_action: all.filter((o) => !o.action_status).length,
  };
  return (
    <section aria-labelledby="reminders-heading" className="reminders">
      <h2 id="reminders-heading">{t('advisories.followUp.reminders')}</h2>
      <p className="row wrap">
        {(['unacknowledged', 'no_action'] as const).map((to) => (
          <button
            key={to}
            type="button"
            className="secondary"
            disabled={remind.isPending || counts[to] === 0}
            onClick={() => remind.mutate(to)}
          >
            {t(`advisories.followUp.remind.${to}`, { count: counts[to] })}
          </button>
        ))}
      </p>
      {remind.data && (
        <p role="status" data-testid="reminder-result">
          {t('advisories.followUp.reached', {
            organizations: t('advisories.followUp.organizationsN', { count: remind.data.organizations }),
            users: t('advisories.followUp.usersN', { count: remind.data.users }),
          })}
        </p>
      )}
      <ErrorMessage error={remind.error} />
    </section>
  );
}

function SectorTable({
  sector,
  organizations,
}: {
  sector: string | null;
  organizations: FollowUpOrganization[];
}) {
  const { t } = useTranslation();
  const label = useLabel();
  // An organisation without a sector (addressed by id) is listed under its own heading.
  const name = sector ? label('sectors', sector) : t('advisories.followUp.noSector');
  const open = organizations.filter((o) => !o.acknowledged_at).length;
  return (
    <section aria-labelledby={`sector-${sector ?? 'none'}`} data-sector={sector ?? 'none'}>
      <h2 id={`sector-${sector ?? 'none'}`}>
        {name}{' '}
        <span className="hint">
          {t('advisories.followUp.sectorCounts', { total: organizations.length, open })}
        </span>
      </h2>
      <TableScroll label={name}>
        <table className="follow-up">
          <thead>
            <tr>
              <th scope="col">{t('advisories.followUp.columns.organization')}</th>
              <th scope="col">{t('advisories.followUp.columns.read')}</th>
              <th scope="col">{t('advisories.followUp.columns.acknowledged')}</th>
              <th scope="col">{t('advisories.followUp.columns.action')}</th>
            </tr>
          </thead>
          <tbody>
            {organizations.map((o) => (
              <tr
                key={o.id}
                data-organization={o.name}
                data-acknowledged={o.acknowledged_at ? 'true' : 'false'}
                className={o.acknowledged_at ? undefined : 'open'}
              >
                <th scope="row">
                  {o.name}
                  {!o.acknowledged_at && (
                    <span className="pending block">{t('advisories.followUp.notAcknowledged')}</span>
                  )}
                </th>
                <td data-label={t('advisories.followUp.columns.read')}>
                  {o.read_at ? <Who at={o.read_at} by={o.read_by} /> : t('advisories.followUp.unread')}
                </td>
                <td data-label={t('advisories.followUp.columns.acknowledged')}>
                  {o.acknowledged_at ? <Who at={o.acknowledged_at} by={o.acknowledged_by} /> : '—'}
                </td>
                <td data-label={t('advisories.followUp.columns.action')}>
                  {o.action_status ? t(`advisories.statuses.${o.action_status}`) : '—'}
                  {o.action_at && (
                    <span className="hint block">
                      <DateTime iso={o.action_at} />
                    </span>
                  )}
                  {o.action_note && <span className="hint block">{o.action_note}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function Who({ at, by }: { at: string; by: string | null }) {
  return (
    <>
      <DateTime iso={at} />
      {by && <span className="hint block">{by}</span>}
    </>
  );
}
