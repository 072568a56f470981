import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, queryString } from '../../../shared/api/client';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import type { AuditPage } from '../api/incidents';

const SHOWN = 100;

/** Who did what to an incident, newest first (the audit trail; admins only, as the API allows). */
export function AuditTrail({ incidentId }: { incidentId: number }) {
  const { t } = useTranslation();
  const audit = useQuery({
    queryKey: ['audit', 'incident', incidentId],
    queryFn: ({ signal }) =>
      api<AuditPage>(
        `/audit${queryString({ object_type: 'incident', object_id: incidentId, limit: SHOWN })}`,
        { signal },
      ),
  });
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">{t('audit.title')}</h2>
      <ErrorMessage error={audit.error} />
      {audit.isPending && <p role="status">{t('common.loading')}</p>}
      {audit.data && (
        <div className="table-scroll">
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.ip')}</th>
                <th scope="col">{t('audit.requestId')}</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.items.map((entry) => (
                <tr key={entry.id} data-action={entry.action}>
                  <td className="nowrap">
                    <DateTime iso={entry.at} />
                  </td>
                  <td>{t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}</td>
                  <td>{entry.actor}</td>
                  <td>{entry.ip ?? '—'}</td>
                  <td>
                    <code>{entry.request_id ?? '—'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {audit.data.next_cursor && <p className="hint">{t('audit.more', { count: SHOWN })}</p>}
        </div>
      )}
    </section>
  );
}
