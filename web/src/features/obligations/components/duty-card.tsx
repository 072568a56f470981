import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { currentLang } from '../../../shared/i18n';
import type { RegimeDuty, StageView } from '../api/obligations';
import { afterDutyChange, decide, exportUrl } from '../api/obligations';
import { StageActions } from './stage-actions';

/** When a stage is due, in words: its due time, 速やかに, or what it still waits for. */
export function DueText({ stage }: { stage: StageView }) {
  const { t } = useTranslation();
  if (stage.due_at) return <DateTime iso={stage.due_at} />;
  return <span className="hint">{stage.promptly ? t('duties.promptly') : t('duties.waitingFor')}</span>;
}

export function StateBadge({ stage }: { stage: StageView }) {
  const { t } = useTranslation();
  return (
    <span className={`duty-state duty-${stage.state}`} data-state={stage.state}>
      {t(`duties.states.${stage.state}`)}
      {stage.late && ` ${t('duties.late')}`}
    </span>
  );
}

/**
 * One regime's duty for an incident: who it goes to and how sure kyoyu is of the rule; the
 * reporter confirms or declines a proposed one; each stage with its deadline, due time and state.
 */
export function DutyCard({
  incidentId,
  duty,
  mayWrite,
  mayExport,
}: {
  incidentId: number;
  duty: RegimeDuty;
  mayWrite: boolean;
  mayExport: boolean;
}) {
  const { t } = useTranslation();
  const lang = currentLang();
  const client = useQueryClient();
  const ids = { share: useId(), reason: useId(), heading: useId() };
  const [share, setShare] = useState(duty.share_with_center);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: (body: Parameters<typeof decide>[2]) => decide(incidentId, duty.code, body),
    onSuccess: (saved) => {
      setDeclining(false);
      afterDutyChange(client, saved);
    },
  });
  return (
    <article
      className="card duty"
      data-regime={duty.code}
      data-status={duty.status}
      aria-labelledby={ids.heading}
    >
      <h3 id={ids.heading}>
        {duty.name[lang]}{' '}
        <span className={`duty-status duty-status-${duty.status}`}>{t(`duties.status.${duty.status}`)}</span>
      </h3>
      <p className="hint">
        {t('duties.to')}: {duty.authority[lang]} ・ {t(`duties.confidence.${duty.confidence}`)} ・{' '}
        <a href={duty.source_url} target="_blank" rel="noreferrer">
          {t('duties.source')}
        </a>
        {!duty.applies && ` ・ ${t('duties.notApplying')}`}
      </p>
      {duty.status === 'confirmed' && <NextDue duty={duty} />}
      {duty.status === 'declined' && <p>{t('duties.declined', { reason: duty.reason })}</p>}
      {duty.status === 'confirmed' &&
        (mayWrite ? (
          // The consent stays the reporter's to give or withdraw after the confirmation.
          <label className="toggle" htmlFor={ids.share}>
            <input
              id={ids.share}
              type="checkbox"
              checked={duty.share_with_center}
              disabled={save.isPending}
              onChange={(e) => save.mutate({ status: 'confirmed', share_with_center: e.target.checked })}
            />
            {t('duties.share')}
          </label>
        ) : (
          <p className="hint">{duty.share_with_center ? t('duties.shared') : t('duties.notShared')}</p>
        ))}
      {duty.status === 'confirmed' && <ErrorMessage error={save.error} />}
      {mayWrite && duty.status !== 'confirmed' && (
        <div className="duty-decision stack">
          <label className="toggle" htmlFor={ids.share}>
            <input
              id={ids.share}
              type="checkbox"
              checked={share}
              onChange={(e) => setShare(e.target.checked)}
            />
            {t('duties.share')}
          </label>
          {declining && (
            <>
              <label htmlFor={ids.reason}>{t('duties.declineReason')}</label>
              <input
                id={ids.reason}
                value={reason}
                maxLength={2000}
                onChange={(e) => setReason(e.target.value)}
              />
            </>
          )}
          <div className="row">
            <button
              type="button"
              onClick={() => save.mutate({ status: 'confirmed', share_with_center: share })}
            >
              {t('duties.confirm')}
            </button>
            {duty.status === 'proposed' && (
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  declining && reason.trim()
                    ? save.mutate({ status: 'declined', reason: reason.trim(), share_with_center: false })
                    : setDeclining(true)
                }
              >
                {t('duties.decline')}
              </button>
            )}
          </div>
          <ErrorMessage error={save.error} />
        </div>
      )}
      <div className="table-scroll">
        <table className="duty-stages">
          <thead>
            <tr>
              <th scope="col">{t('duties.stage')}</th>
              <th scope="col">{t('duties.deadline')}</th>
              <th scope="col">{t('duties.dueAt')}</th>
              <th scope="col">{t('duties.stateLabel')}</th>
              {(mayWrite || mayExport) && duty.status === 'confirmed' && <td />}
            </tr>
          </thead>
          <tbody>
            {duty.stages.map((s) => (
              <tr key={s.code} data-stage={s.code} data-state={s.state}>
                <th scope="row">{s.name[lang]}</th>
                <td className="hint">{s.deadline[lang]}</td>
                <td className="nowrap">
                  <DueText stage={s} />
                </td>
                <td>
                  <StateBadge stage={s} />
                  {s.submitted_at && (
                    <span className="hint block">
                      {t('duties.submittedAt')}: <DateTime iso={s.submitted_at} />
                      {s.reference && ` ・ ${t('duties.reference')}: ${s.reference}`}
                    </span>
                  )}
                  {s.state === 'not_required' && s.reason && s.reason !== 'facts' && (
                    <span className="hint block">{s.reason}</span>
                  )}
                </td>
                {(mayWrite || mayExport) && duty.status === 'confirmed' && (
                  <td>
                    <div className="stack">
                      {mayWrite && <StageActions incidentId={incidentId} regime={duty.code} stage={s} />}
                      {mayExport && (
                        <span className="hint">
                          {t('duties.export')}:{' '}
                          {(['xlsx', 'csv', 'json'] as const).map((f, i) => (
                            <span key={f}>
                              {i > 0 && ' / '}
                              <a href={exportUrl(incidentId, duty.code, s.code, f, lang)} download>
                                {f.toUpperCase()}
                              </a>
                            </span>
                          ))}
                        </span>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}

/** A confirmed duty's next open stage with a due time: what the reporter must do next, and by when. */
function NextDue({ duty }: { duty: RegimeDuty }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const next = duty.stages
    .filter((s) => (s.state === 'due' || s.state === 'overdue') && s.due_at)
    .sort((a, b) => a.due_at!.localeCompare(b.due_at!))[0];
  if (!next) return null;
  return (
    <p className="duty-next" data-stage={next.code}>
      {t('duties.next')}: <strong>{next.name[lang]}</strong> <DueText stage={next} />{' '}
      <StateBadge stage={next} />
    </p>
  );
}
