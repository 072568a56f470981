import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api/client';
import { useSession } from '../../auth/api/session';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { Link } from '../../../shared/router';
import { RoleChange } from '../components/role-change';
import { Tokens } from '../components/tokens';
import type { AdminUser, PendingAnswer, TemporaryPassword } from '../api/admin';
import { APPROVALS, isPending, USERS, useUsers } from '../api/admin';
import { AdminOnly, MfaText, SectorList, StateText, WaitingForSecondAdmin } from '../components/shared';
import { ConfirmButton } from '../../../shared/components/confirm-button';
import { post } from '../../../shared/api/idempotent';
import { ShownOnce } from '../../../shared/components/shown-once';

/** `/admin/users/{id}`: one user's resets, unlock, disable, and API tokens. */
export function AdminUserPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const users = useUsers();
  const user = users.data?.find((u) => u.id === id);
  const back = (
    <p>
      <Link href="/admin">{t('admin.user.back')}</Link>
    </p>
  );
  const title = user ? t('admin.user.title', { email: user.email }) : t('admin.title');
  return (
    <AdminOnly title={t('admin.title')}>
      {back}
      {users.isPending && <p role="status">{t('common.loading')}</p>}
      <ErrorMessage error={users.error} />
      {users.data && !user && (
        <>
          <PageHeading title={title}>{title}</PageHeading>
          <p className="error" role="alert">
            {t('admin.user.notFound')}
          </p>
        </>
      )}
      {user && (
        <>
          <PageHeading title={title}>{title}</PageHeading>
          <Account user={user} />
          <Actions user={user} />
          <RoleChange user={user} />
          <Tokens user={user} />
        </>
      )}
    </AdminOnly>
  );
}

function Account({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="admin-account">
      <h2 id="admin-account">{t('admin.user.account')}</h2>
      <dl className="summary">
        <div>
          <dt>{t('admin.columns.organization')}</dt>
          <dd>{user.organization}</dd>
        </div>
        <div>
          <dt>{t('admin.columns.role')}</dt>
          <dd>{t(`roles.${user.role}`)}</dd>
        </div>
        <div>
          <dt>{t('admin.columns.sectors')}</dt>
          <dd>
            <SectorList sectors={user.sectors} />
          </dd>
        </div>
        <div>
          <dt>{t('admin.columns.mfa')}</dt>
          <dd>
            <MfaText user={user} />
          </dd>
        </div>
        <div>
          <dt>{t('admin.columns.state')}</dt>
          <dd data-testid="user-state">
            <StateText user={user} />
          </dd>
        </div>
        <div>
          <dt>{t('admin.columns.created')}</dt>
          <dd>
            <DateTime iso={user.created_at} />
          </dd>
        </div>
      </dl>
    </section>
  );
}

function Actions({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const self = useSession().session?.user.email === user.email;
  const [message, setMessage] = useState('');
  const [password, setPassword] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(false);
  /** After an MFA reset, an unlock, a disable or an enable: say so, and forget any password shown. */
  const done = (text: string) => {
    setPassword(null);
    setWaiting(false);
    setMessage(text);
    void client.invalidateQueries({ queryKey: USERS });
  };
  /** A change to a center analyst or an admin became a request for a second admin. */
  const requested = () => {
    setPassword(null);
    setMessage('');
    setWaiting(true);
    void client.invalidateQueries({ queryKey: APPROVALS });
  };
  const base = `/admin/users/${user.id}`;
  const reset = useMutation({
    mutationFn: () => post<TemporaryPassword | PendingAnswer>(`${base}/password-reset`),
    onSuccess: (answer) => {
      if (isPending(answer)) return requested();
      setMessage('');
      setWaiting(false);
      setPassword(answer.temporary_password);
      void client.invalidateQueries({ queryKey: USERS });
    },
  });
  const mfa = useMutation({
    mutationFn: () => post<PendingAnswer | undefined>(`${base}/mfa-reset`),
    onSuccess: (answer) => (isPending(answer) ? requested() : done(t('admin.user.mfaReset'))),
  });
  const unlock = useMutation({
    mutationFn: () => post<void>(`${base}/unlock`),
    onSuccess: () => done(t('admin.user.unlocked')),
  });
  const disable = useMutation({
    mutationFn: (disabled: boolean) => api<void>(`${base}/disabled`, { method: 'PUT', body: { disabled } }),
    onSuccess: (_, disabled) => done(disabled ? t('admin.user.disabled') : t('admin.user.enabled')),
  });
  const busy = reset.isPending || mfa.isPending || unlock.isPending || disable.isPending;
  const error = reset.error ?? mfa.error ?? unlock.error ?? disable.error;
  return (
    <section aria-labelledby="admin-actions">
      <h2 id="admin-actions">{t('admin.user.actions')}</h2>
      <ul className="admin-actions">
        <li>
          <ConfirmButton
            disabled={busy}
            question={t('admin.confirm.question.resetPassword')}
            onConfirm={() => reset.mutate()}
            aria-describedby="reset-hint"
          >
            {t('admin.user.resetPassword')}
          </ConfirmButton>
          <span id="reset-hint" className="hint">
            {t('admin.user.resetPasswordHint')}
          </span>
        </li>
        <li>
          <ConfirmButton
            className="secondary"
            disabled={busy || !user.mfa_enabled}
            question={t('admin.confirm.question.resetMfa')}
            onConfirm={() => mfa.mutate()}
            aria-describedby="mfa-hint"
          >
            {t('admin.user.resetMfa')}
          </ConfirmButton>
          <span id="mfa-hint" className="hint">
            {t('admin.user.resetMfaHint')}
          </span>
        </li>
        <li>
          <button
            type="button"
            className="secondary"
            disabled={busy || !user.locked}
            onClick={() => unlock.mutate()}
          >
            {t('admin.user.unlock')}
          </button>
        </li>
        <li>
          {user.disabled ? (
            <button type="button" className="secondary" disabled={busy} onClick={() => disable.mutate(false)}>
              {t('admin.user.enable')}
            </button>
          ) : (
            <ConfirmButton
              className="secondary"
              disabled={busy || self}
              question={t('admin.confirm.question.disable')}
              onConfirm={() => disable.mutate(true)}
            >
              {t('admin.user.disable')}
            </ConfirmButton>
          )}
        </li>
      </ul>
      <ErrorMessage error={error} />
      <div aria-live="polite">
        {message && <p className="done">{message}</p>}
        {waiting && <WaitingForSecondAdmin />}
        {password && (
          <ShownOnce
            label={t('admin.user.temporaryPassword')}
            value={password}
            hint={t('admin.user.shownOnce')}
            testId="temporary-password"
          />
        )}
      </div>
    </section>
  );
}
