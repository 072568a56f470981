import { useMutation } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api/client';
import type { SessionView, TotpSetup } from '../../../shared/api/types';
import { useSession } from '../api/session';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';

let notice: string | null = null;

/** A message for the next sign-in form (an i18n key): after a password change, say so there. */
export function setSignInNotice(key: string | null): void {
  notice = key;
}

/** Sign in: email and password, then the second factor where the account needs one. */
export function SignInPage() {
  const { session } = useSession();
  if (session?.mfa === 'required') return <CodeStep />;
  if (session?.mfa === 'setup_required') return <SetupStep />;
  return <PasswordStep />;
}

function PasswordStep() {
  const { t } = useTranslation();
  const { update } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [shown] = useState(() => {
    const key = notice;
    notice = null;
    return key;
  });
  const login = useMutation({
    mutationFn: () => api<SessionView>('/auth/login', { method: 'POST', body: { email, password } }),
    onSuccess: update,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  return (
    <section className="card narrow">
      <PageHeading title={t('signIn.title')}>{t('signIn.title')}</PageHeading>
      {shown && (
        <p className="done" role="status">
          {t(shown)}
        </p>
      )}
      <form onSubmit={submit} className="stack">
        <label>
          {t('signIn.email')}
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          {t('signIn.password')}
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorMessage error={login.error} />
        <button type="submit" disabled={login.isPending}>
          {login.isPending ? t('signIn.signingIn') : t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}

/** A 6-digit one-time code field, with the browser's one-time-code autofill. */
export function CodeField({
  value,
  onChange,
  autoFocus = false,
}: {
  value: string;
  onChange: (v: string) => void;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const hint = useId();
  return (
    <label>
      {t('signIn.code')}
      <input
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        // Right after the password step the code is the one thing left to type.
        autoFocus={autoFocus}
        aria-describedby={hint}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
      />
      <span id={hint} className="hint">
        {t('signIn.codeHint')}
      </span>
    </label>
  );
}

function CancelButton() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  return (
    <button type="button" className="secondary" onClick={() => void signOut()}>
      {t('signIn.cancel')}
    </button>
  );
}

/** The one-time code form of both steps: posts `{code}` and takes the session it answers with. */
function CodeForm({
  path,
  submitLabel,
  autoFocus = false,
  children,
}: {
  path: '/auth/mfa' | '/auth/totp/enable';
  submitLabel: string;
  autoFocus?: boolean;
  children?: ReactNode;
}) {
  const { update } = useSession();
  const [code, setCode] = useState('');
  const submit = useMutation({
    mutationFn: () => api<SessionView>(path, { method: 'POST', body: { code } }),
    onSuccess: update,
  });
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        submit.mutate();
      }}
    >
      {children}
      <CodeField value={code} onChange={setCode} autoFocus={autoFocus} />
      <ErrorMessage error={submit.error} />
      <div className="row">
        <button type="submit" disabled={submit.isPending}>
          {submitLabel}
        </button>
        <CancelButton />
      </div>
    </form>
  );
}

function CodeStep() {
  const { t } = useTranslation();
  return (
    <section className="card narrow">
      <PageHeading title={t('signIn.mfaTitle')}>{t('signIn.mfaTitle')}</PageHeading>
      <p>{t('signIn.mfaIntro')}</p>
      <CodeForm path="/auth/mfa" submitLabel={t('signIn.verify')} autoFocus />
    </section>
  );
}

function SetupStep() {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  // The password again: a session alone (left open, or taken over) does not set up a factor.
  const setup = useMutation({
    mutationFn: () => api<TotpSetup>('/auth/totp/setup', { method: 'POST', body: { password } }),
  });
  return (
    <section className="card narrow">
      <PageHeading title={t('signIn.setupTitle')}>{t('signIn.setupTitle')}</PageHeading>
      <p>{t('signIn.setupIntro')}</p>
      {!setup.data ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            setup.mutate();
          }}
        >
          <label>
            {t('account.setupPassword')}
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <ErrorMessage error={setup.error} />
          <div className="row">
            <button type="submit" disabled={setup.isPending}>
              {t('signIn.setupStart')}
            </button>
            <CancelButton />
          </div>
        </form>
      ) : (
        <CodeForm path="/auth/totp/enable" submitLabel={t('signIn.enable')}>
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
        </CodeForm>
      )}
    </section>
  );
}
