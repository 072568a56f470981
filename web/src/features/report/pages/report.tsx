import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/api/types';
import { useCan } from '../../auth/api/session';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { Refused } from '../../../shared/components/refused';
import { Link } from '../../../shared/router';
import { incidentQuery } from '../../incidents/api/incidents';
import { ReportForm } from '../components/report-form';
import '../../../shared/styles/forms.css';
import '../components/report.css';

/** `/report`: the initial report (第一報) of a new incident. */
export function NewReportPage() {
  const { t } = useTranslation();
  const can = useCan();
  if (!can('incidents:write'))
    return <Refused title={t('report.newTitle')} message={t('report.forbidden')} />;
  return <ReportForm mode="new" />;
}

/** `/incidents/{id}/report`: an update (続報) or the final report (最終報) on an incident. */
export function StageReportPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const can = useCan();
  const incident = useQuery(incidentQuery(id));
  // Whether the form is offered is decided on the incident as first loaded: once the final report
  // is filed the incident no longer takes reports, but this page must go on showing its confirmation.
  const [offered, setOffered] = useState<boolean | null>(null);
  if (incident.data && offered === null) setOffered(incident.data.actions.includes('add_report'));
  if (!can('incidents:write'))
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
  // The server says what this caller may do with this incident: no form that would end in 403.
  if (offered === false)
    return <Refused title={t('report.stageTitle')} message={t('report.stageForbidden')} />;
  return <ReportForm mode="stage" incident={incident.data} />;
}

/** The incident page's way to the stage report form, for those who may report on it. */
export function AddStageLink({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  if (!incident.actions.includes('add_report')) return null;
  return (
    <p>
      <Link href={`/incidents/${incident.id}/report`} className="button-link">
        {t('report.addStage')}
      </Link>
    </p>
  );
}
