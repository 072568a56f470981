import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api/client';
import type { InfoSharingAnswer, QuarterState } from '../../../shared/api/types';
import { ErrorMessage } from '../../../shared/components/error-message';
import { DateTime } from '../../../shared/components/date-time';
import { invalidateStatistics } from '../api/stats';

/**
 * The state of the year's quarters: published, closed (final) or open (not yet final). The center
 * (`center`: it may read the quarters' closing, and so sees the open ones' figures) sees each
 * closed quarter's late filings; whoever may manage them (`manage`) closes or reopens a quarter
 * after a confirmation. Both as the server's actions for the caller say.
 */
export function QuarterStates({
  stats,
  center,
  manage,
}: {
  stats: InfoSharingAnswer;
  center: boolean;
  manage: boolean;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="periods-heading" className="periods">
      <h2 id="periods-heading">{t('periods.heading')}</h2>
      <ul className="period-list">
        {stats.quarters.map((q) => (
          <QuarterItem key={q.quarter} fy={stats.fiscal_year} q={q} manage={manage} />
        ))}
      </ul>
      {!center && <p className="hint">{t('periods.outsideHint')}</p>}
    </section>
  );
}

function QuarterItem({ fy, q, manage }: { fy: number; q: QuarterState; manage: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const action = q.state === 'closed' ? 'reopen' : 'close';
  const change = useMutation({
    mutationFn: () => api(`/periods/${fy}/${q.quarter}/${action}`, { method: 'POST' }),
    onSuccess: () => {
      setConfirming(false);
      // Every cached figure of the year may have moved (the dashboard shares these queries).
      invalidateStatistics(client);
    },
  });
  const name = t('periods.quarterName', { fy, q: q.quarter });
  const canChange = manage && q.state !== 'published' && (q.state === 'closed' || q.ended);
  return (
    <li data-quarter={q.quarter} data-state={q.state}>
      <strong>{t('stats.quarter', { q: q.quarter })}</strong>{' '}
      <span className={`period-state ${q.state}`}>{t(`periods.state.${q.state}`)}</span>
      {q.closed_at && (
        <>
          {' '}
          <span className="hint">
            {t('periods.closedAt')} <DateTime iso={q.closed_at} />
          </span>
        </>
      )}
      {q.late_filings !== null && q.late_filings > 0 && (
        <>
          {' '}
          <span className="late-filings">{t('periods.lateFilings', { count: q.late_filings })}</span>
        </>
      )}
      {!q.ended && q.state === 'open' && <span className="hint"> {t('periods.running')}</span>}
      {canChange && !confirming && (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          {t(`periods.${action}`, { name })}
        </button>
      )}
      {canChange && confirming && (
        <span role="group" aria-label={t(`periods.${action}`, { name })} className="confirm">
          <span>{t(`periods.confirm.${action}`, { name })}</span>{' '}
          <button type="button" onClick={() => change.mutate()} disabled={change.isPending}>
            {t(`periods.confirmButton.${action}`)}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            {t('periods.cancel')}
          </button>
        </span>
      )}
      <ErrorMessage error={change.error} />
    </li>
  );
}
