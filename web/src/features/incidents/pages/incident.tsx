import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../../../shared/api/taxonomy';
import type { ClassificationView, Incident, StageReport } from '../../../shared/api/types';
import { useCan } from '../../auth/api/session';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import { Link } from '../../../shared/router';
import { incidentQuery } from '../api/incidents';
import { AuditTrail } from '../components/incident-audit';
import { IncidentConversation } from '../components/incident-conversation';
import { IncidentIndicators } from '../components/incident-indicators';
import { LifecycleActions, LifecycleStatus } from '../components/incident-lifecycle';
import { AddStageLink } from '../../report/pages/report';
import { DutiesPanel } from '../../obligations/components/duties-panel';

/** One incident: what it is, the reporter's and the center's classification, its reports in time order. */
export function IncidentPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const can = useCan();
  const incident = useQuery(incidentQuery(id));
  const back = (
    <p>
      <Link href="/incidents">{t('incident.back')}</Link>
    </p>
  );
  if (incident.isPending) return <p role="status">{t('common.loading')}</p>;
  if (incident.isError) {
    return (
      <>
        <PageHeading title={t('incident.title')}>{t('incident.title')}</PageHeading>
        <ErrorMessage error={incident.error} />
        {back}
      </>
    );
  }
  const data = incident.data;
  return (
    <>
      {back}
      <PageHeading title={data.title}>{data.title}</PageHeading>
      <Summary incident={data} />
      <LifecycleStatus incident={data} />
      {data.channel === 'operator_report' && <Classifications incident={data} />}
      {data.state === 'received' && !data.final_received_at && <AddStageLink incident={data} />}
      <LifecycleActions incident={data} />
      <Timeline reports={data.reports ?? []} />
      {data.channel === 'operator_report' && <DutiesPanel incidentId={data.id} />}
      <IncidentIndicators incidentId={data.id} />
      {data.actions.includes('read_conversation') && <IncidentConversation incidentId={data.id} />}
      {can('audit:read') && <AuditTrail incidentId={data.id} />}
    </>
  );
}

function Summary({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <dl className="summary">
      <div>
        <dt>{t('incidents.columns.ref')}</dt>
        <dd>{incident.ref}</dd>
      </div>
      <div>
        <dt>TLP</dt>
        <dd>
          <TlpBadge tlp={incident.tlp} />
        </dd>
      </div>
      <div>
        <dt>{t('incidents.columns.channel')}</dt>
        <dd>{label('channels', incident.channel)}</dd>
      </div>
      <div>
        <dt>{t('incidents.columns.organization')}</dt>
        <dd>{incident.organization ?? '—'}</dd>
      </div>
      <div>
        <dt>{t('incidents.columns.sector')}</dt>
        <dd>{label('sectors', incident.sector)}</dd>
      </div>
      <div>
        <dt>{t('incidents.columns.stage')}</dt>
        <dd>{label('report_stages', incident.stage)}</dd>
      </div>
      <div>
        <dt>{t('incident.firstReceived')}</dt>
        <dd>
          <DateTime iso={incident.first_received_at} />
        </dd>
      </div>
      {(['occurred_at', 'detected_at'] as const).map((name) => (
        <div key={name} data-time={name}>
          <dt>{t(`report.fields.${name}`)}</dt>
          <dd>{incident[name] ? <DateTime iso={incident[name]} /> : t('incident.timeNotReported')}</dd>
        </div>
      ))}
      <div>
        <dt>{t('incident.countedIn')}</dt>
        <dd>{t('incidents.fyQuarter', { fy: incident.fiscal_year, q: incident.fiscal_quarter })}</dd>
      </div>
    </dl>
  );
}

function Classifications({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const label = useLabel();
  const reporter = incident.reporter_classification;
  const center = incident.center_classification;
  const cells = (c: ClassificationView | null, pick: (c: ClassificationView) => string) => (
    <td>{c ? pick(c) : t('incident.notClassified')}</td>
  );
  const causes = (c: ClassificationView) =>
    c.causes.length ? c.causes.map((code) => label('causes', code)).join(t('common.listSeparator')) : '—';
  return (
    <section aria-labelledby="classification-heading">
      <h2 id="classification-heading">{t('incident.classification')}</h2>
      <table className="compare">
        <thead>
          <tr>
            <td />
            <th scope="col">{t('incident.reporter')}</th>
            <th scope="col">
              {t('incident.center')}
              {center?.classified_at && (
                <span className="hint block">
                  <DateTime iso={center.classified_at} />
                </span>
              )}
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('incident.event')}</th>
            {cells(reporter, (c) => label('events', c.event))}
            {cells(center, (c) => label('events', c.event))}
          </tr>
          <tr>
            <th scope="row">{t('incident.causes')}</th>
            {cells(reporter, causes)}
            {cells(center, causes)}
          </tr>
          <tr>
            <th scope="row">{t('incident.attackType')}</th>
            {cells(reporter, (c) => label('attack_types', c.attack_type))}
            {cells(center, (c) => label('attack_types', c.attack_type))}
          </tr>
        </tbody>
      </table>
      <p className="hint">
        {incident.classification?.by === 'center' ? t('incident.countsCenter') : t('incident.countsReporter')}
      </p>
    </section>
  );
}

function Timeline({ reports }: { reports: StageReport[] }) {
  const { t } = useTranslation();
  const label = useLabel();
  const ordered = [...reports].sort((a, b) => a.received_at.localeCompare(b.received_at) || a.id - b.id);
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t('incident.timeline')}</h2>
      <ol className="timeline">
        {ordered.map((report) => (
          <li key={report.id} data-stage={report.stage ?? 'none'}>
            <h3>
              <span className="stage">
                {report.stage ? label('report_stages', report.stage) : t('incident.report')}
              </span>{' '}
              <DateTime iso={report.received_at} />
            </h3>
            <p className="report-title">{report.title}</p>
            <p className="description">{report.description}</p>
            {(report.occurred_at || report.detected_at) && (
              <p className="hint report-times">
                {(['occurred_at', 'detected_at'] as const)
                  .filter((name) => report[name])
                  .map((name, i) => (
                    <span key={name}>
                      {i > 0 && ' / '}
                      {t(`report.fields.${name}`)}: <DateTime iso={report[name]!} />
                    </span>
                  ))}
              </p>
            )}
            {report.classification && (
              <p className="hint">
                {label('events', report.classification.event)}
                {report.classification.causes.length > 0 &&
                  ` / ${report.classification.causes.map((c) => label('causes', c)).join(t('common.listSeparator'))}`}
                {report.classification.attack_type &&
                  ` / ${label('attack_types', report.classification.attack_type)}`}
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
