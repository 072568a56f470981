import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { Link, navigate } from '../../../shared/router';
import { advisoryOfIncident } from '../api/advisories';
import { AdvisoryPage } from './advisory';
import { ComposePage } from './compose';
import { FollowUpPage } from './follow-up';
import { InboxPage } from './inbox';
import { RevisePage } from './revise';

/**
 * The advisories' pages: /advisories (the inbox), /advisories/new, /advisories/:id,
 * /advisories/:id/revise, /advisories/:id/follow-up, and /advisories/incident/:incidentId (where a notification leads).
 */
export function AdvisoryRoutes({ path }: { path: string }) {
  if (path === '/advisories') return <InboxPage />;
  if (path === '/advisories/new') return <ComposePage />;
  const one = /^\/advisories\/(\d{1,10})$/.exec(path);
  if (one) return <AdvisoryPage id={Number(one[1])} />;
  const revise = /^\/advisories\/(\d{1,10})\/revise$/.exec(path);
  if (revise) return <RevisePage id={Number(revise[1])} />;
  const followUp = /^\/advisories\/(\d{1,10})\/follow-up$/.exec(path);
  if (followUp) return <FollowUpPage id={Number(followUp[1])} />;
  const incident = /^\/advisories\/incident\/(\d{1,10})$/.exec(path);
  if (incident) return <ByIncident incidentId={Number(incident[1])} />;
  return <NotFoundHere />;
}

/** From a notification (which names the incident): on to the advisory, in place of this address. */
function ByIncident({ incidentId }: { incidentId: number }) {
  const { t } = useTranslation();
  const found = useQuery({
    queryKey: ['advisories', 'of-incident', incidentId],
    queryFn: ({ signal }) => advisoryOfIncident(incidentId, signal),
  });
  useEffect(() => {
    if (found.data) navigate(`/advisories/${found.data}`, { replace: true });
  }, [found.data]);
  if (found.isPending || found.data) return <p role="status">{t('common.loading')}</p>;
  return (
    <>
      <PageHeading title={t('advisories.one')}>{t('advisories.one')}</PageHeading>
      {found.isError ? (
        <ErrorMessage error={found.error} />
      ) : (
        <p className="error">{t('errors.not_found')}</p>
      )}
      <p>
        <Link href="/advisories">{t('advisories.back')}</Link>
      </p>
    </>
  );
}

function NotFoundHere() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('notFound.title')}>{t('notFound.title')}</PageHeading>
      <p>
        <Link href="/advisories">{t('advisories.back')}</Link>
      </p>
    </>
  );
}
