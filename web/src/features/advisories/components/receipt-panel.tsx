import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import type { ActionStatus, AdvisoryView, ReceiptBody } from '../api/advisories';
import { ACTION_STATUSES, invalidateAdvisories, putReceipt } from '../api/advisories';

/**
 * The recipient organisation's answer: acknowledged (確認しました) and where it stands on the
 * recommended actions, with a note. Shown to recipients; the buttons only where `actions` allow.
 */
export function ReceiptPanel({ advisory }: { advisory: AdvisoryView }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const receipt = advisory.receipt!;
  const [status, setStatus] = useState<ActionStatus | ''>(receipt.action_status ?? '');
  const [note, setNote] = useState(receipt.action_note ?? '');
  const [saved, setSaved] = useState<'ack' | 'action' | null>(null);
  const save = useMutation({
    mutationFn: (body: ReceiptBody) => putReceipt(advisory.id, body),
    onSuccess: (_answer, body) => {
      setSaved(body.acknowledged ? 'ack' : 'action');
      invalidateAdvisories(client);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (status) save.mutate({ action_status: status, action_note: note.trim() || undefined });
  };
  const mayAck = advisory.actions.includes('acknowledge');
  const mayAct = advisory.actions.includes('set_action');
  return (
    <section aria-labelledby="receipt-heading" className="receipt">
      <h2 id="receipt-heading">{t('advisories.receipt.title')}</h2>
      <dl className="summary">
        <div>
          <dt>{t('advisories.receipt.read')}</dt>
          <dd>{receipt.read_at ? <DateTime iso={receipt.read_at} /> : '—'}</dd>
        </div>
        <div>
          <dt>{t('advisories.receipt.acknowledgedAt')}</dt>
          <dd data-testid="acknowledged-at">
            {receipt.acknowledged_at ? (
              <DateTime iso={receipt.acknowledged_at} />
            ) : (
              t('advisories.receipt.notYet')
            )}
          </dd>
        </div>
        <div>
          <dt>{t('advisories.receipt.status')}</dt>
          <dd data-testid="action-status">
            {receipt.action_status
              ? t(`advisories.statuses.${receipt.action_status}`)
              : t('advisories.receipt.notYet')}
            {receipt.action_note && <span className="hint block">{receipt.action_note}</span>}
          </dd>
        </div>
      </dl>
      {mayAck && !receipt.acknowledged_at && (
        <p>
          <button type="button" disabled={save.isPending} onClick={() => save.mutate({ acknowledged: true })}>
            {t('advisories.receipt.acknowledge')}
          </button>
        </p>
      )}
      {saved === 'ack' && (
        <p role="status" className="hint">
          {t('advisories.receipt.acknowledgedDone')}
        </p>
      )}
      {mayAct && (
        <form className="admin-form action-form" onSubmit={submit}>
          <fieldset>
            <legend>{t('advisories.receipt.setStatus')}</legend>
            {ACTION_STATUSES.map((s) => (
              <label key={s} className="toggle">
                <input
                  type="radio"
                  name="action-status"
                  value={s}
                  checked={status === s}
                  onChange={() => setStatus(s)}
                />
                {t(`advisories.statuses.${s}`)}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="action-note">{t('advisories.receipt.note')}</label>
            <textarea
              id="action-note"
              rows={3}
              maxLength={2000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          <p>
            <button type="submit" className="secondary" disabled={save.isPending || !status}>
              {t('advisories.receipt.saveStatus')}
            </button>{' '}
            {saved === 'action' && <span role="status">{t('advisories.receipt.saved')}</span>}
          </p>
        </form>
      )}
      <ErrorMessage error={save.error} />
    </section>
  );
}
