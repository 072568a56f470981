import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { Refused } from '../../../shared/components/refused';
import { Link } from '../../../shared/router';
import type { AdvisoryBody } from '../api/advisories';
import { advisoryQuery, reviseAdvisory } from '../api/advisories';
import { useLocalized } from '../components/badges';
import { draftOf } from '../model/draft';
import { ComposeForm } from './compose';

/**
 * A new revision of an advisory or share: the compose form filled with the current revision. The
 * revision it was read at goes with it (If-Match), so a colleague's revision in between is
 * refused (412), not overwritten; the history keeps every revision.
 */
export function RevisePage({ id }: { id: number }) {
  const { t } = useTranslation();
  const text = useLocalized();
  const advisory = useQuery(advisoryQuery(id));
  const title = t('advisories.revise.title');
  const back = (
    <p>
      <Link href={`/advisories/${id}`}>{t('advisories.followUp.back')}</Link>
    </p>
  );
  if (advisory.isPending) return <p role="status">{t('common.loading')}</p>;
  if (advisory.isError)
    return (
      <>
        {back}
        <PageHeading title={title}>{title}</PageHeading>
        <ErrorMessage error={advisory.error} />
      </>
    );
  const data = advisory.data;
  if (!data.actions.includes('revise')) return <Refused title={title} message={t('access.unavailable')} />;
  // The body of a revision is the form's without the kind (it stays what it was).
  const send = ({ tlp, severity, audience, content }: AdvisoryBody) =>
    reviseAdvisory(id, data.revision, { tlp, severity, audience, content });
  return (
    <>
      {back}
      <PageHeading title={title}>{title}</PageHeading>
      <p className="hint">
        {t('advisories.revise.of', { title: text(data.content.title), n: data.revision })}
      </p>
      <ComposeForm
        key={`${data.id}-${data.revision}`}
        initial={draftOf(data)}
        send={send}
        sendLabel={t('advisories.revise.send')}
      />
    </>
  );
}
