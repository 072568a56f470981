import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../shared/api/client';
import type { Incident, LifecycleAction, RejectReason } from '../../../shared/api/types';
import { REJECT_REASONS } from '../../../shared/api/types';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { invalidateAfterDecision } from '../api/incidents';
import { ConfirmButton } from '../../../shared/components/confirm-button';

/** The record's lifecycle state, its reason and note, and whether a final report closed it: for everyone who sees it. */
export function LifecycleStatus({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const out = incident.state !== 'received';
  if (!out && !incident.final_received_at) return null;
  return (
    <section aria-labelledby="lifecycle-heading" className={out ? 'lifecycle lifecycle-out' : 'lifecycle'}>
      <h2 id="lifecycle-heading">
        {t('lifecycle.state')}:{' '}
        <span data-state={incident.state}>{t(`lifecycle.states.${incident.state}`)}</span>
      </h2>
      {out && (
        <>
          <p>{t('lifecycle.notCounted')}</p>
          <dl className="summary">
            {incident.state_reason && (
              <div>
                <dt>{t('lifecycle.reason')}</dt>
                <dd>
                  {t(`lifecycle.reasons.${incident.state_reason}`, { defaultValue: incident.state_reason })}
                </dd>
              </div>
            )}
            {incident.state_note && (
              <div>
                <dt>{t('lifecycle.note')}</dt>
                <dd className="description">{incident.state_note}</dd>
              </div>
            )}
            {incident.state_changed_at && (
              <div>
                <dt>{t('lifecycle.changedAt')}</dt>
                <dd>
                  <DateTime iso={incident.state_changed_at} />
                </dd>
              </div>
            )}
          </dl>
        </>
      )}
      {incident.final_received_at && <p className="hint">{t('lifecycle.closed')}</p>}
    </section>
  );
}

/**
 * The center analyst's decisions: reject (with a reason and a note), withdraw (with the reporter's
 * request), restore, reopen. Each asks for confirmation and is sent with If-Match, so a decision
 * made on a stale page is refused and the page reloads the incident.
 */
export function LifecycleActions({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const ids = { reason: useId(), rejectNote: useId(), withdrawNote: useId(), restoreNote: useId() };
  const [reason, setReason] = useState<RejectReason>('duplicate');
  const [notes, setNotes] = useState({ reject: '', withdraw: '', restore: '' });
  const [done, setDone] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: ({ action, body }: { action: LifecycleAction; body: object }) =>
      api<Incident>(`/incidents/${incident.id}/${action}`, {
        method: 'POST',
        body,
        headers: { 'if-match': `"v${incident.version}"` },
      }),
    onSuccess: (saved, { action }) => {
      client.setQueryData(['incident', saved.id], saved);
      setDone(t(`lifecycle.done.${action}`));
      setNotes({ reject: '', withdraw: '', restore: '' });
      invalidateAfterDecision(client);
    },
    onError: (error) => {
      setDone(null);
      if (error instanceof ApiError && error.status === 412)
        void client.invalidateQueries({ queryKey: ['incident', incident.id] });
    },
  });
  // Offered exactly when the server lists the action on this record for this caller.
  if (!incident.actions.includes('change_state')) return null;
  const run = (action: LifecycleAction, body: object) => {
    setDone(null);
    decide.mutate({ action, body });
  };
  const note = (key: keyof typeof notes) => (notes[key].trim() ? { note: notes[key] } : {});
  const noteField = (key: keyof typeof notes, id: string, label: string) => (
    <p>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={2}
        maxLength={2000}
        value={notes[key]}
        onChange={(e) => setNotes({ ...notes, [key]: e.target.value })}
      />
    </p>
  );
  const conflict = decide.error instanceof ApiError && decide.error.status === 412;
  return (
    <section aria-labelledby="lifecycle-actions-heading" className="lifecycle-actions">
      <h2 id="lifecycle-actions-heading">{t('lifecycle.actions')}</h2>
      {incident.state === 'received' ? (
        <>
          <fieldset>
            <legend>{t('lifecycle.reject')}</legend>
            <p>
              <label htmlFor={ids.reason}>{t('lifecycle.reason')}</label>
              <select
                id={ids.reason}
                value={reason}
                onChange={(e) => setReason(e.target.value as RejectReason)}
              >
                {REJECT_REASONS.map((code) => (
                  <option key={code} value={code}>
                    {t(`lifecycle.reasons.${code}`)}
                  </option>
                ))}
              </select>
            </p>
            {noteField('reject', ids.rejectNote, t('lifecycle.rejectNote'))}
            <ConfirmButton
              question={t('lifecycle.confirm.reject')}
              disabled={decide.isPending || (reason === 'other' && !notes.reject.trim())}
              onConfirm={() => run('reject', { reason, ...note('reject') })}
            >
              {t('lifecycle.reject')}
            </ConfirmButton>
          </fieldset>
          <fieldset>
            <legend>{t('lifecycle.withdraw')}</legend>
            {noteField('withdraw', ids.withdrawNote, t('lifecycle.withdrawNote'))}
            <ConfirmButton
              question={t('lifecycle.confirm.withdraw')}
              disabled={decide.isPending || !notes.withdraw.trim()}
              onConfirm={() => run('withdraw', note('withdraw'))}
            >
              {t('lifecycle.withdraw')}
            </ConfirmButton>
          </fieldset>
          {incident.final_received_at && (
            <p>
              <ConfirmButton
                question={t('lifecycle.confirm.reopen')}
                disabled={decide.isPending}
                onConfirm={() => run('reopen', {})}
              >
                {t('lifecycle.reopen')}
              </ConfirmButton>
            </p>
          )}
        </>
      ) : (
        <fieldset>
          <legend>{t('lifecycle.restore')}</legend>
          {noteField('restore', ids.restoreNote, t('lifecycle.restoreNote'))}
          <ConfirmButton
            question={t('lifecycle.confirm.restore')}
            disabled={decide.isPending}
            onConfirm={() => run('restore', note('restore'))}
          >
            {t('lifecycle.restore')}
          </ConfirmButton>
        </fieldset>
      )}
      <p role="status">{done}</p>
      {conflict ? (
        <p className="error" role="alert">
          {t('lifecycle.conflict')}
        </p>
      ) : (
        <ErrorMessage error={decide.error} />
      )}
    </section>
  );
}
