import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Scope } from '../../../../src/access/index.js';
import { ROLE_SCOPES } from '../../../../src/access/index.js';
import { api } from '../../api/client';
import { DateTime } from '../../components/date-time';
import { ErrorMessage } from '../../components/error-message';
import type { AdminUser, ApiToken } from './shared';
import { ColumnHeads, ConfirmButton, post, ShownOnce, tokensKey } from './shared';

export function Tokens({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const tokens = useQuery({
    queryKey: tokensKey(user.id),
    queryFn: ({ signal }) => api<ApiToken[]>(`/admin/users/${user.id}/tokens`, { signal }),
  });
  const [revoked, setRevoked] = useState('');
  const revoke = useMutation({
    mutationFn: (token: ApiToken) =>
      api<void>(`/admin/users/${user.id}/tokens/${token.id}`, { method: 'DELETE' }),
    onSuccess: (_, token) => {
      setRevoked(t('admin.tokens.revokedDone', { label: token.label }));
      void client.invalidateQueries({ queryKey: tokensKey(user.id) });
    },
  });
  return (
    <section aria-labelledby="admin-tokens">
      <h2 id="admin-tokens">{t('admin.tokens.title')}</h2>
      <ErrorMessage error={tokens.error ?? revoke.error} />
      {tokens.data && tokens.data.length === 0 && <p>{t('admin.tokens.none')}</p>}
      {tokens.data && tokens.data.length > 0 && (
        <table className="admin-tokens">
          <caption className="visually-hidden">{t('admin.tokens.title')}</caption>
          <ColumnHeads
            labels={[
              'admin.tokens.label',
              'admin.tokens.scopes',
              'admin.tokens.created',
              'admin.tokens.expires',
              'admin.columns.actions',
            ]}
          />
          <tbody>
            {tokens.data.map((token) => (
              <tr key={token.id} data-token={token.id}>
                <th scope="row">{token.label}</th>
                <td>{token.scopes.join(', ')}</td>
                <td className="nowrap">
                  <DateTime iso={token.created_at} />
                </td>
                <td className="nowrap">
                  {token.expires_at ? <DateTime iso={token.expires_at} /> : t('admin.tokens.never')}
                </td>
                <td>
                  {token.revoked_at ? (
                    <span className="state state-disabled">
                      {t('admin.tokens.revokedAt')} <DateTime iso={token.revoked_at} />
                    </span>
                  ) : (
                    <ConfirmButton
                      className="secondary"
                      disabled={revoke.isPending}
                      aria-label={t('admin.tokens.revokeLabel', { label: token.label })}
                      question={t('admin.confirm.question.revoke', { label: token.label })}
                      onConfirm={() => revoke.mutate(token)}
                    >
                      {t('admin.tokens.revoke')}
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p aria-live="polite" className="done">
        {revoked}
      </p>
      <IssueToken user={user} />
    </section>
  );
}

function IssueToken({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const allowed: readonly Scope[] = ROLE_SCOPES[user.role];
  const hintId = useId();
  const [label, setLabel] = useState('api');
  const [scopes, setScopes] = useState<Scope[]>([...allowed]);
  const [days, setDays] = useState('90');
  const [never, setNever] = useState(false);
  const [issued, setIssued] = useState<string | null>(null);
  const issue = useMutation({
    mutationFn: () =>
      post<{ token: string }>(`/admin/users/${user.id}/tokens`, {
        label,
        scopes,
        expires_in_days: never ? null : Number(days),
      }),
    onSuccess: (answer) => {
      setIssued(answer.token);
      void client.invalidateQueries({ queryKey: tokensKey(user.id) });
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
      <div className="row wrap">
        <label>
          {t('admin.tokens.days')}
          <input
            type="number"
            name="days"
            min={1}
            max={3650}
            required={!never}
            disabled={never}
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </label>
        <label className="toggle">
          <input type="checkbox" name="never" checked={never} onChange={(e) => setNever(e.target.checked)} />
          {t('admin.tokens.noExpiry')}
        </label>
      </div>
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
