import { useTranslation } from 'react-i18next';
import { useLabel } from '../../../shared/api/taxonomy';
import type { ClassificationView, Incident } from '../../../shared/api/types';
import { DateTime } from '../../../shared/components/date-time';
import { NS } from '../../../shared/i18n/dashboard';

/** A classification in one line: event / causes / attack type. */
export function useClassificationText(): (c: ClassificationView | null) => string {
  const { t } = useTranslation(NS);
  const label = useLabel();
  return (c) =>
    c
      ? [
          label('events', c.event),
          c.causes
            .map((code) => label('causes', code))
            .join(t('common.listSeparator', { ns: 'translation' })),
          c.attack_type ? label('attack_types', c.attack_type) : t('classify.attackNone'),
        ].join(' / ')
      : t('classify.none');
}

/**
 * What the analyst decides on: the incident's description as it stands and every stage report
 * (initial, updates, final) in the order they were received, each with its own text and the
 * classification its reporter gave. The visibility rule already chose what the answer holds.
 */
export function ReportContext({ incident }: { incident: Incident }) {
  const { t } = useTranslation(NS);
  const label = useLabel();
  const classification = useClassificationText();
  const reports = [...(incident.reports ?? [])].sort(
    (a, b) => a.received_at.localeCompare(b.received_at) || a.id - b.id,
  );
  return (
    <section className="classify-context" aria-labelledby="context-heading" id="classify-context">
      <h3 id="context-heading">{t('classify.description')}</h3>
      <p className="description" data-testid="classify-description">
        {incident.description || t('classify.noDescription')}
      </p>
      <h3 id="reports-heading">{t('classify.reports', { count: reports.length })}</h3>
      <ol className="stage-reports" aria-labelledby="reports-heading">
        {reports.map((report, i) => (
          <li key={report.id} data-testid="classify-report" data-stage={report.stage ?? 'none'}>
            <p className="stage-line">
              <span className="stage">
                {i + 1}. {report.stage ? label('report_stages', report.stage) : t('classify.report')}
              </span>{' '}
              <DateTime iso={report.received_at} />
              {report.organization && <span className="hint"> · {report.organization}</span>}
            </p>
            <p className="report-title">{report.title}</p>
            <p className="description">{report.description}</p>
            <p className="hint">
              {t('classify.asReported')}: {classification(report.classification)}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
