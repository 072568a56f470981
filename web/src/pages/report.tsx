import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Incident } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { Refused } from '../components/refused';
import { Link } from '../router';
import { ReportForm } from './report-form';
import './forms.css';
import './report.css';

const WRITERS = new Set(['operator', 'center_analyst', 'admin']);

/** `/report`: the initial report (第一報) of a new incident. */
export function NewReportPage() {
  const { t } = useTranslation();
  const role = useSession().session?.user.role;
  if (!role || !WRITERS.has(role))
    return <Refused title={t('report.newTitle')} message={t('report.forbidden')} />;
  return <ReportForm mode="new" />;
}

/** `/incidents/{id}/report`: an update (続報) or the final report (最終報) on an incident. */
export function StageReportPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const role = useSession().session?.user.role;
  const incident = useQuery({
    queryKey: ['incident', id],
    queryFn: ({ signal }) => api<Incident>(`/incidents/${id}`, { signal }),
  });
  if (!role || !WRITERS.has(role))
    return <Refused title={t('report.stageTitle')} message={t('report.forbidden')} />;
  if (incident.isPending) return <p role="status">{t('common.loading')}</p>;
  if (incident.isError) {
    return (
      <>
        <PageHeading title={t('report.stageTitle')}>{t('report.stageTitle')}</PageHeading>
        <ErrorMessage error={incident.error} />
        <p>
          <Link href="/incidents">{t('incident.back')}</Link>
        </p>
      </>
    );
  }
  return <ReportForm mode="stage" incident={incident.data} />;
}

/** The incident page's way to the stage report form, for those who may report on it. */
export function AddStageLink({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const user = useSession().session?.user;
  if (!user || incident.channel !== 'operator_report') return null;
  const may =
    user.role === 'center_analyst' ||
    user.role === 'admin' ||
    (user.role === 'operator' && user.organization === incident.organization);
  if (!may) return null;
  return (
    <p>
      <Link href={`/incidents/${incident.id}/report`} className="button-link">
        {t('report.addStage')}
      </Link>
    </p>
  );
}
