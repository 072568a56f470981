import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../../shared/components/error-message';
import { localInputToIso, nowLocalInput } from '../../report/model/report-model';
import type { StageView } from '../api/obligations';
import { afterDutyChange, recordStage } from '../api/obligations';

/**
 * What the reporter records of one stage: submitted (when, with the recipient's reference), not
 * required (why), or, once recorded, open again.
 */
export function StageActions({
  incidentId,
  regime,
  stage,
}: {
  incidentId: number;
  regime: string;
  stage: StageView;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const ids = { at: useId(), ref: useId(), reason: useId() };
  const [mode, setMode] = useState<'idle' | 'submitted' | 'not_required'>('idle');
  const [at, setAt] = useState(nowLocalInput());
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: (body: Parameters<typeof recordStage>[3]) =>
      recordStage(incidentId, regime, stage.code, body),
    onSuccess: (saved) => {
      setMode('idle');
      afterDutyChange(client, saved);
    },
  });
  if (stage.state === 'submitted' || (stage.state === 'not_required' && stage.reason !== 'facts'))
    return (
      <button type="button" className="secondary small" onClick={() => save.mutate({ state: 'open' })}>
        {t('duties.reopen')}
      </button>
    );
  if (stage.state === 'not_required') return null;
  if (mode === 'idle')
    return (
      <div className="row">
        <button type="button" className="small" onClick={() => setMode('submitted')}>
          {t('duties.markSubmitted')}
        </button>
        <button type="button" className="secondary small" onClick={() => setMode('not_required')}>
          {t('duties.markNotRequired')}
        </button>
      </div>
    );
  return (
    <form
      className="stage-form stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (mode === 'submitted')
          save.mutate({
            state: 'submitted',
            submitted_at: localInputToIso(at) ?? at,
            ...(reference.trim() ? { reference: reference.trim() } : {}),
          });
        else save.mutate({ state: 'not_required', reason });
      }}
    >
      {mode === 'submitted' ? (
        <>
          <label htmlFor={ids.at}>{t('duties.submittedAt')}</label>
          <input
            id={ids.at}
            type="datetime-local"
            value={at}
            onChange={(e) => setAt(e.target.value)}
            required
          />
          <label htmlFor={ids.ref}>{t('duties.reference')}</label>
          <input
            id={ids.ref}
            value={reference}
            maxLength={200}
            onChange={(e) => setReference(e.target.value)}
          />
        </>
      ) : (
        <>
          <label htmlFor={ids.reason}>{t('duties.notRequiredReason')}</label>
          <input
            id={ids.reason}
            value={reason}
            maxLength={2000}
            onChange={(e) => setReason(e.target.value)}
            required
          />
        </>
      )}
      <ErrorMessage error={save.error} />
      <div className="row">
        <button type="submit" className="small" disabled={save.isPending}>
          {t('duties.save')}
        </button>
        <button type="button" className="secondary small" onClick={() => setMode('idle')}>
          {t('duties.cancel')}
        </button>
      </div>
    </form>
  );
}
