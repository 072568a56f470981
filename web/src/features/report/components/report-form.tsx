import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTaxonomy } from '../../../shared/api/taxonomy';
import type { Incident } from '../../../shared/api/types';
import { useCan, useSession } from '../../auth/api/session';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import { Link } from '../../../shared/router';
import { Confirmation } from './report-confirmation';
import { useReportDraft } from '../model/report-draft';
import { fieldLabel, focusField, problemText } from './report-field';
import { Fields } from './report-fields';
import type { FieldName, ReportMode } from '../model/report-model';
import { useReportSubmit } from '../api/report-submit';
import { sectorChoice } from '../model/report-rules';
import type { IndicatorRowDraft } from '../model/report-indicators';
import { indicatorInputs, rowReason } from '../model/report-indicators';
import { ReportIndicators } from './report-indicators';
import type { DutyChoice } from '../../obligations/components/duty-preview';
import { DutyPreview, useDutyPreview } from '../../obligations/components/duty-preview';
import { recordDuties } from '../../obligations/api/obligations';
import { localInputToIso } from '../model/report-model';

/** The report form: an initial report (mode new) or a stage report on an incident. */
export function ReportForm({ mode, incident }: { mode: ReportMode; incident?: Incident }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const taxonomy = useTaxonomy();
  const user = session?.user.email ?? '';
  const target = incident ? `incident-${incident.id}` : 'new';
  const can = useCan();
  const needsOrganization = mode === 'new' && can('incidents:any_organization');
  const sectors = sectorChoice(session?.user.organization_sectors ?? [], can('incidents:any_organization'));
  const fixedSector = sectors.kind === 'fixed' ? sectors.sector : undefined;

  const { draft, showRestored, summary, shown, change, touch, discard, found } = useReportDraft({
    mode,
    incident,
    user,
    target,
    needsOrganization,
    fixedSector,
  });
  const [submitted, setSubmitted] = useState<Incident | null>(null);
  const [indicatorRows, setIndicatorRows] = useState<IndicatorRowDraft[]>([]);
  // The new report's reporting duties (issue 15): proposed as the form changes, recorded once filed.
  const [duties, setDuties] = useState<DutyChoice>({ facts: [], dropped: [] });
  const [dutiesFailed, setDutiesFailed] = useState(false);
  const preview = useDutyPreview({
    sector: draft.sector,
    ...(needsOrganization ? { organization: draft.organization } : {}),
    occurredAt: localInputToIso(draft.occurred_at),
    detectedAt: localInputToIso(draft.detected_at),
    facts: duties.facts,
    enabled: mode === 'new',
  });
  const { onSubmit, pending, generalError } = useReportSubmit({
    mode,
    incident,
    user,
    target,
    needsOrganization,
    draft,
    found,
    indicators: {
      inputs: indicatorInputs(indicatorRows),
      valid: indicatorRows.every((r) => rowReason(r) === null),
    },
    onDone: (filed) => {
      if (mode !== 'new') return setSubmitted(filed);
      const kept = (preview.data?.regimes ?? [])
        .map((r) => r.code)
        .filter((c) => !duties.dropped.includes(c));
      void recordDuties(filed.id, duties.facts, kept)
        .then(() => setDutiesFailed(false))
        .catch(() => setDutiesFailed(true))
        .finally(() => setSubmitted(filed));
    },
  });

  if (submitted) {
    return (
      <>
        {dutiesFailed && (
          <p className="error" role="alert">
            {t('duties.saveFailed')}
          </p>
        )}
        <Confirmation
          mode={mode}
          incident={submitted}
          onAnother={() => {
            setSubmitted(null);
            setIndicatorRows([]);
            setDuties({ facts: [], dropped: [] });
            discard();
          }}
        />
      </>
    );
  }

  const title = mode === 'new' ? t('report.newTitle') : t('report.stageTitle');
  const problemList = Object.keys(summary) as FieldName[];

  return (
    <>
      {incident && (
        <p>
          <Link href={`/incidents/${incident.id}`}>
            {t('report.stageFor', { ref: incident.ref, title: incident.title })}
          </Link>{' '}
          <TlpBadge tlp={incident.tlp} />
        </p>
      )}
      <PageHeading title={title}>{title}</PageHeading>
      <p className="hint">{t('report.intro')}</p>
      {showRestored && (
        <div className="notice row" role="status">
          <p>{t('report.draftRestored')}</p>
          <button type="button" className="secondary" onClick={discard}>
            {t('report.discardDraft')}
          </button>
        </div>
      )}
      {!taxonomy.data ? (
        taxonomy.isError ? (
          <ErrorMessage error={taxonomy.error} />
        ) : (
          <p role="status">{t('common.loading')}</p>
        )
      ) : (
        <form className="report-form stack" noValidate onSubmit={onSubmit}>
          {/* An alert, read out when a submit finds problems; it changes only with the next submit. */}
          <div id="report-summary" className="summary-slot">
            {problemList.length > 0 && (
              <div className="error-summary" role="alert">
                <p>{t('report.summary', { count: problemList.length })}</p>
                <ul>
                  {problemList.map((name) => (
                    <li key={name}>
                      <a
                        href={`#report-${name}`}
                        onClick={(e) => {
                          e.preventDefault();
                          focusField(name);
                        }}
                      >
                        {fieldLabel(t, name)}: {problemText(t, summary[name]!)}
                      </a>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
          <Fields
            mode={mode}
            draft={draft}
            change={change}
            touch={touch}
            shown={shown}
            taxonomy={taxonomy.data}
            needsOrganization={needsOrganization}
            sectors={sectors}
            incident={incident}
          />
          <ReportIndicators
            rows={indicatorRows}
            onChange={setIndicatorRows}
            description={draft.description}
          />
          {mode === 'new' && <DutyPreview preview={preview.data} choice={duties} onChange={setDuties} />}
          <ErrorMessage error={generalError} />
          <div className="row">
            <button type="submit" disabled={pending}>
              {pending ? t('report.submitting') : t('report.submit')}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
