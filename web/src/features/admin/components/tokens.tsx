import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api/client';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import type { AdminUser, ApiToken } from '../api/admin';
import { tokensKey } from '../api/admin';
import { ColumnHeads } from './shared';
import { ConfirmButton } from '../../../shared/components/confirm-button';
import { TableScroll } from '../../../shared/components/table-scroll';

/**
 * A user's tokens on the admin page: listed and revoked (revoking reads no content). Admins issue
 * no tokens for others; users issue their own on the account page.
 */
export function Tokens({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="admin-tokens">
      <h2 id="admin-tokens">{t('admin.tokens.title')}</h2>
      <TokenTable path={`/admin/users/${user.id}/tokens`} queryKey={tokensKey(user.id)} />
    </section>
  );
}

/** Tokens listed from `path` (GET), each revoked at `path/{id}` (DELETE). */
export function TokenTable({ path, queryKey }: { path: string; queryKey: readonly unknown[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const tokens = useQuery({
    queryKey,
    queryFn: ({ signal }) => api<ApiToken[]>(path, { signal }),
  });
  const [revoked, setRevoked] = useState('');
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => api<void>(`${path}/${token.id}`, { method: 'DELETE' }),
    onSuccess: (_, token) => {
      setRevoked(t('admin.tokens.revokedDone', { label: token.label }));
      void client.invalidateQueries({ queryKey });
    },
  });
  return (
    <>
      <ErrorMessage error={tokens.error ?? revoke.error} />
      {tokens.data && tokens.data.length === 0 && <p>{t('admin.tokens.none')}</p>}
      {tokens.data && tokens.data.length > 0 && (
        <TableScroll label={t('admin.tokens.title')}>
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
        </TableScroll>
      )}
      <p aria-live="polite" className="done">
        {revoked}
      </p>
    </>
  );
}
