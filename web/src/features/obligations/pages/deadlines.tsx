import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabel, useTaxonomy } from '../../../shared/api/taxonomy';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import { currentLang } from '../../../shared/i18n';
import { Link } from '../../../shared/router';
import type { Deadlines } from '../api/obligations';
import { deadlinesQuery } from '../api/obligations';
import '../components/duties.css';

/**
 * `/deadlines`: the overdue view. The center sees every confirmed duty past its due time; a sector
 * desk those of its sectors; an operator its own. A sector filter narrows it.
 */
export function DeadlinesPage() {
  const { t } = useTranslation();
  const taxonomy = useTaxonomy();
  const [sector, setSector] = useState('');
  const answer = useQuery({ ...deadlinesQuery(sector), refetchInterval: 60_000 });
  const lang = currentLang();
  return (
    <>
      <PageHeading title={t('duties.deadlinesTitle')}>{t('duties.deadlinesTitle')}</PageHeading>
      <p className="hint">{t('duties.deadlinesIntro')}</p>
      <div className="filters">
        <label>
          {t('duties.sector')}
          <select value={sector} onChange={(e) => setSector(e.target.value)}>
            <option value="">{t('duties.allSectors')}</option>
            {(taxonomy.data?.sectors ?? []).map((s) => (
              <option key={s.code} value={s.code}>
                {s[lang]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {answer.isError && <ErrorMessage error={answer.error} />}
      {answer.data && (
        <>
          <p className="hint">
            {t('duties.asOf', { time: new Date(answer.data.as_of).toLocaleString(lang) })}
          </p>
          <DeadlineTable
            id="overdue"
            title={t('duties.overdue')}
            empty={t('duties.noOverdue')}
            items={answer.data.overdue}
          />
          <DeadlineTable
            id="due-soon"
            title={t('duties.dueSoon')}
            empty={t('duties.noDueSoon')}
            items={answer.data.due_soon}
          />
        </>
      )}
    </>
  );
}

function DeadlineTable({
  id,
  title,
  empty,
  items,
}: {
  id: string;
  title: string;
  empty: string;
  items: Deadlines['overdue'];
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const lang = currentLang();
  return (
    <section aria-labelledby={`${id}-heading`} className="deadlines" data-list={id}>
      <h2 id={`${id}-heading`}>
        {title}（{items.length}）
      </h2>
      {items.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <div className="table-scroll">
          <table className="duty-stages">
            <thead>
              <tr>
                <th scope="col">{t('duties.dueAt')}</th>
                <th scope="col">{t('duties.incident')}</th>
                <th scope="col">{t('duties.sector')}</th>
                <th scope="col">{t('duties.regime')}</th>
                <th scope="col">{t('duties.stage')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((o) => (
                <tr key={`${o.incident.id}/${o.regime.code}/${o.stage.code}`} data-incident={o.incident.id}>
                  <td className="nowrap">
                    <DateTime iso={o.due_at} />
                  </td>
                  <td>
                    <Link href={`/incidents/${o.incident.id}`}>{o.incident.ref}</Link>{' '}
                    <TlpBadge tlp={o.incident.tlp} />
                    <span className="block">{o.incident.title}</span>
                    {o.incident.organization && <span className="hint block">{o.incident.organization}</span>}
                  </td>
                  <td>{label('sectors', o.incident.sector)}</td>
                  <td>{o.regime.name[lang]}</td>
                  <td>{o.stage.name[lang]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
