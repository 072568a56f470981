import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api/client';
import type { SessionView, TotpSetup } from '../../../shared/api/types';
import { useSession } from '../../auth/api/session';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { TokenTable } from '../../admin/components/tokens';
import { CodeField } from '../../auth/pages/sign-in';
import { IssueOwnToken } from '../components/issue-token';
import { PasswordChangeForm } from './password-change';
import '../../../shared/styles/forms.css';
import '../../admin/components/admin.css';

const OWN_TOKENS = ['me', 'tokens'] as const;

/** `/account`: the signed-in user's password, second factor and API tokens. */
export function AccountPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  if (!session) return null;
  return (
    <>
      <PageHeading title={t('account.title')}>{t('account.title')}</PageHeading>
      <p>
        {session.user.email} · {session.user.organization} · {t(`roles.${session.user.role}`)}
      </p>
      <section className="card">
        <PasswordChangeForm />
      </section>
      <section className="card">
        <SecondFactor session={session} />
      </section>
      <section className="card" aria-labelledby="own-tokens">
        <h2 id="own-tokens">{t('account.tokens.title')}</h2>
        <p className="hint">{t('account.tokens.intro')}</p>
        <TokenTable path="/me/tokens" queryKey={OWN_TOKENS} />
        <IssueOwnToken role={session.user.role} queryKey={OWN_TOKENS} />
      </section>
    </>
  );
}

/**
 * The second factor: set up (password, then the secret and a first code) or removed (password).
 * A new factor replaces an old one by removing it first; where the role needs one, the session
 * then asks for the new one at once.
 */
function SecondFactor({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const { update } = useSession();
  const enabled = session.mfa === 'verified';
  // The server says whether the role needs one (the center and admins do).
  const needed = session.second_factor_required;
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [done, setDone] = useState('');
  const setup = useMutation({
    mutationFn: () => api<TotpSetup>('/auth/totp/setup', { method: 'POST', body: { password } }),
    onSuccess: () => setPassword(''),
  });
  const enable = useMutation({
    mutationFn: () => api<SessionView>('/auth/totp/enable', { method: 'POST', body: { code } }),
    onSuccess: (next) => {
      setup.reset();
      setCode('');
      setDone(t('account.mfa.enabled'));
      update(next);
    },
  });
  const remove = useMutation({
    mutationFn: () => api<SessionView>('/auth/totp/remove', { method: 'POST', body: { password } }),
    onSuccess: (next) => {
      setPassword('');
      setDone(t('account.mfa.removed'));
      update(next);
    },
  });
  return (
    <div className="stack">
      <h2 id="second-factor">{t('account.mfa.title')}</h2>
      <p data-testid="mfa-state">
        {enabled ? t('account.mfa.on') : t('account.mfa.off')} {needed && t('account.mfa.required')}
      </p>
      {setup.data ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            enable.mutate();
          }}
        >
          <dl className="secret">
            <dt>{t('signIn.secret')}</dt>
            <dd>
              <code>{setup.data.secret}</code>
            </dd>
            <dt>{t('signIn.otpauthUri')}</dt>
            <dd>
              <code className="wrap">{setup.data.otpauth_uri}</code>
            </dd>
          </dl>
          <p className="hint">{t('signIn.secretOnce')}</p>
          <CodeField value={code} onChange={setCode} />
          <ErrorMessage error={enable.error} />
          <div className="row">
            <button type="submit" disabled={enable.isPending}>
              {t('signIn.enable')}
            </button>
          </div>
        </form>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (enabled) remove.mutate();
            else setup.mutate();
          }}
        >
          <p className="hint">{t('account.mfa.passwordHint')}</p>
          <label>
            {t('account.mfa.password')}
            <input
              type="password"
              name="mfa-password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <ErrorMessage error={setup.error ?? remove.error} />
          <div className="row">
            <button
              type="submit"
              className={enabled ? 'secondary' : undefined}
              disabled={setup.isPending || remove.isPending}
            >
              {enabled ? t('account.mfa.remove') : t('account.mfa.start')}
            </button>
          </div>
        </form>
      )}
      <p aria-live="polite" className="done">
        {done}
      </p>
    </div>
  );
}
