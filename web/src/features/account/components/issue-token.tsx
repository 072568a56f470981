import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, Scope } from '../../../../../src/access/index.js';
import { ROLE_SCOPES } from '../../../../../src/access/actor.js';
import { ErrorMessage } from '../../../shared/components/error-message';
import { post } from '../../../shared/api/idempotent';
import { ShownOnce } from '../../../shared/components/shown-once';

/** Issues the signed-in user a token of their own: scopes within the role, 1 to 365 days. */
export function IssueOwnToken({ role, queryKey }: { role: Role; queryKey: readonly unknown[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const allowed: readonly Scope[] = ROLE_SCOPES[role];
  const hintId = useId();
  const daysHint = useId();
  const [label, setLabel] = useState('api');
  const [scopes, setScopes] = useState<Scope[]>([...allowed]);
  const [days, setDays] = useState('90');
  const [issued, setIssued] = useState<string | null>(null);
  const issue = useMutation({
    mutationFn: () => post<{ token: string }>('/me/tokens', { label, scopes, expires_in_days: Number(days) }),
    onSuccess: (answer) => {
      setIssued(answer.token);
      void client.invalidateQueries({ queryKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!issue.isPending) issue.mutate();
  };
  return (
    <form className="admin-form stack" onSubmit={submit} aria-labelledby="admin-issue">
      <h3 id="admin-issue">{t('admin.tokens.issue')}</h3>
      <label>
        {t('admin.tokens.label')}
        <input
          type="text"
          name="label"
          required
          maxLength={100}
          value={label}
          onChange={(e) => setLabel(e.target.value)}
        />
      </label>
      <fieldset aria-describedby={hintId}>
        <legend>{t('admin.tokens.scopes')}</legend>
        <p id={hintId} className="hint">
          {t('admin.tokens.scopesHint')}
        </p>
        <div className="choice-grid">
          {allowed.map((scope) => (
            <label key={scope} className="toggle">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  setScopes((current) =>
                    e.target.checked
                      ? allowed.filter((s) => s === scope || current.includes(s))
                      : current.filter((s) => s !== scope),
                  )
                }
              />
              {t(`admin.scopeNames.${scope}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        {t('admin.tokens.days')}
        <input
          type="number"
          name="days"
          min={1}
          max={365}
          required
          aria-describedby={daysHint}
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
        <span id={daysHint} className="hint">
          {t('account.tokens.daysHint')}
        </span>
      </label>
      <ErrorMessage error={issue.error} />
      <div className="row">
        <button type="submit" disabled={issue.isPending || scopes.length === 0}>
          {t('admin.tokens.submit')}
        </button>
      </div>
      <div aria-live="polite">
        {issued && (
          <ShownOnce
            label={t('admin.tokens.issued')}
            value={issued}
            hint={t('admin.tokens.issuedHint')}
            testId="issued-token"
          />
        )}
      </div>
    </form>
  );
}
