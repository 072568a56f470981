import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { revisionsQuery } from '../api/advisories';
import { titleOf } from './badges';

/** Every revision kept, newest first: what changed is there to compare (title, when, by whom). */
export function Revisions({ advisoryId, current }: { advisoryId: number; current: number }) {
  const { t, i18n } = useTranslation();
  const revisions = useQuery({
    ...revisionsQuery(advisoryId),
    queryKey: [...revisionsQuery(advisoryId).queryKey, current],
  });
  const items = [...(revisions.data?.items ?? [])].sort((a, b) => b.revision - a.revision);
  return (
    <section aria-labelledby="revisions-heading">
      <h2 id="revisions-heading">{t('advisories.revisions.title')}</h2>
      <ErrorMessage error={revisions.error} />
      {revisions.isPending && <p role="status">{t('common.loading')}</p>}
      {items.length > 0 && (
        <ol className="timeline revisions" reversed>
          {items.map((r) => (
            <li key={r.revision} data-revision={r.revision}>
              <h3>
                <span className="stage">{t('advisories.revisionN', { n: r.revision })}</span>{' '}
                <DateTime iso={r.at} />
                {r.revision === current && <span className="hint"> {t('advisories.revisions.current')}</span>}
              </h3>
              <p className="report-title">{titleOf(r.content, i18n.language)}</p>
              {r.author && <p className="hint">{r.author}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
