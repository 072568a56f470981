import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/api/types';
import { Link } from '../../../shared/router';
import type { ReportMode } from '../model/report-model';

/** What a filed report shows: its reference number and the ways on. */
export function Confirmation({
  mode,
  incident,
  onAnother,
}: {
  mode: ReportMode;
  incident: Incident;
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const refId = useId();
  const title = mode === 'new' ? t('report.done.title') : t('report.done.stageTitle');
  useEffect(() => {
    heading.current?.focus();
    document.title = `${title} | kyoyu`;
  }, [title]);
  return (
    <section className="card confirmation" aria-labelledby="report-done">
      <h1 id="report-done" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <dl>
        <dt id={refId}>{t('report.done.ref')}</dt>
        <dd>
          <strong className="ref" data-testid="report-ref" aria-describedby={refId}>
            {incident.ref}
          </strong>
          <span className="hint block">{t('report.done.refHint')}</span>
        </dd>
      </dl>
      <ul className="actions">
        <li>
          <Link href={`/incidents/${incident.id}`}>{t('report.done.view')}</Link>
        </li>
        <li>
          {mode === 'new' ? (
            <Link href={`/incidents/${incident.id}/report`}>{t('report.done.addStage')}</Link>
          ) : (
            <button type="button" className="secondary" onClick={onAnother}>
              {t('report.done.addStage')}
            </button>
          )}
        </li>
        {mode === 'new' && (
          <li>
            <button type="button" className="secondary" onClick={onAnother}>
              {t('report.done.another')}
            </button>
          </li>
        )}
      </ul>
    </section>
  );
}
