import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api/client';
import { useSession } from '../../auth/api/session';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { setSignInNotice } from '../../auth/pages/sign-in';

/**
 * The password change: the current password, the new one twice. The server ends every session of
 * the user (this one too), so the user signs in again with the new password.
 */
export function PasswordChangeForm() {
  const { t } = useTranslation();
  const { update } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: () =>
      api<void>('/auth/password', {
        method: 'POST',
        body: { current_password: current, new_password: next },
      }),
    onSuccess: () => {
      setSignInNotice('account.signInNotice.passwordChanged');
      update(null);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(next !== again);
    if (next === again && !change.isPending) change.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="password-change">
      <h2 id="password-change">{t('account.password.title')}</h2>
      <label>
        {t('account.password.current')}
        <input
          type="password"
          name="current-password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </label>
      <label>
        {t('account.password.new')}
        <input
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={256}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </label>
      <label>
        {t('account.password.confirm')}
        <input
          type="password"
          name="new-password-again"
          autoComplete="new-password"
          required
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
      </label>
      {mismatch && (
        <p className="error" role="alert">
          {t('account.password.mismatch')}
        </p>
      )}
      <ErrorMessage error={change.error} />
      <div className="row">
        <button type="submit" disabled={change.isPending}>
          {t('account.password.submit')}
        </button>
      </div>
    </form>
  );
}

/** What a session signed in with a temporary password sees, whatever the address: the change. */
export function ForcedPasswordChangePage() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  return (
    <section className="card narrow">
      <PageHeading title={t('account.forced.title')}>{t('account.forced.title')}</PageHeading>
      <p>{t('account.forced.intro')}</p>
      <PasswordChangeForm />
      <p>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          {t('layout.signOut')}
        </button>
      </p>
    </section>
  );
}
