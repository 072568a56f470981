import { useTranslation } from 'react-i18next';
import { useLabel } from '../../../shared/api/taxonomy';
import type { ClassificationView, Incident, StatTable } from '../../../shared/api/types';
import { impactOf } from '../model/impact';
import { NS } from '../../../shared/i18n/dashboard';

const KINDS: Record<StatTable, 'channels' | 'events' | 'causes' | 'attack_types'> = {
  channels: 'channels',
  events: 'events',
  causes: 'causes',
  attack_types: 'attack_types',
};

/** What saving the draft would change in the quarter's published counts. */
export function Impact({
  incident,
  stats,
  next,
  missing,
}: {
  incident: Incident;
  stats: Parameters<typeof impactOf>[0];
  next: ClassificationView | null;
  missing: string | null;
}) {
  const { t } = useTranslation(NS);
  const label = useLabel();
  const heading = t('classify.impact', { fy: incident.fiscal_year, q: incident.fiscal_quarter });
  const rows = next ? impactOf(stats, incident, incident.classification, next) : [];
  return (
    <section aria-labelledby="impact-heading" className="impact" id="classify-impact">
      <h3 id="impact-heading">{heading}</h3>
      {incident.channel !== 'operator_report' ? (
        <p>{t('classify.impactNotCounted')}</p>
      ) : missing ? (
        <p className="hint">{missing}</p>
      ) : rows.length === 0 ? (
        <p>{t('classify.impactNone')}</p>
      ) : (
        <table className="stats">
          <thead>
            <tr>
              <th scope="col">{t('classify.table')}</th>
              <th scope="col">{t('classify.row')}</th>
              <th scope="col">{t('classify.before')}</th>
              <th scope="col">{t('classify.after')}</th>
              <th scope="col">{t('classify.delta')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.table}|${row.code}`} data-table={row.table} data-code={row.code}>
                <td>{t(`stats.tables.${row.table}`, { ns: 'translation' })}</td>
                <th scope="row">{label(KINDS[row.table], row.code)}</th>
                <td className="before">{row.before}</td>
                <td className="after">{row.after}</td>
                <td className={row.after > row.before ? 'up' : 'down'}>
                  {row.after > row.before ? '+' : ''}
                  {row.after - row.before}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
