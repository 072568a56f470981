import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, Scope } from '../../../src/modules/auth/policy.js';
import { ROLE_SCOPES, ROLES } from '../../../src/modules/auth/policy.js';
import { api } from '../api/client';
import { labelOf, useLabel, useTaxonomy } from '../api/taxonomy';
import { useSession } from '../auth/session';
import { DateTime } from '../components/date-time';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { Refused } from '../components/refused';
import { Link } from '../router';
import { randomUuid } from './report-model';
import './forms.css';
import './admin.css';

/** The answers of the admin API (src/modules/admin/admin.routes.ts). */
interface AdminUser {
  id: number;
  email: string;
  role: Role;
  organization: string;
  sectors: string[];
  mfa_enabled: boolean;
  locked: boolean;
  disabled: boolean;
  created_at: string;
}
interface Organization {
  id: number;
  name: string;
  sector: string | null;
  created_at: string;
}
interface ApiToken {
  id: number;
  label: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

const USERS = ['admin', 'users'] as const;
const ORGANIZATIONS = ['admin', 'organizations'] as const;
const tokensKey = (id: number) => ['admin', 'tokens', id] as const;

/** A POST that is safe to retry: a random Idempotency-Key per attempt. */
function post<T>(path: string, body?: unknown): Promise<T> {
  return api<T>(path, { method: 'POST', body, headers: { 'idempotency-key': randomUuid() } });
}

function AdminOnly({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const role = useSession().session?.user.role;
  if (role !== 'admin') return <Refused title={title} message={t('admin.forbidden')} />;
  return <>{children}</>;
}

/**
 * A button for what cannot be undone: the first press asks (the focus moves to "go ahead"), the
 * second does it; cancelling gives the focus back to the button.
 */
function ConfirmButton({
  children,
  question,
  onConfirm,
  disabled,
  className,
  ...aria
}: {
  children: ReactNode;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  className?: string;
  'aria-label'?: string;
  'aria-describedby'?: string;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (refocus.current) button.current?.focus();
    refocus.current = false;
  }, [asking]);
  if (!asking) {
    return (
      <button
        ref={button}
        type="button"
        className={className}
        disabled={disabled}
        onClick={() => setAsking(true)}
        {...aria}
      >
        {children}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        ref={yes}
        type="button"
        onClick={() => {
          refocus.current = true;
          setAsking(false);
          onConfirm();
        }}
      >
        {t('admin.confirm.yes')}
      </button>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          refocus.current = true;
          setAsking(false);
        }}
      >
        {t('admin.confirm.no')}
      </button>
    </span>
  );
}

/** A table's <thead>: one row of column headers, each an i18n key. */
function ColumnHeads({ labels }: { labels: string[] }) {
  const { t } = useTranslation();
  return (
    <thead>
      <tr>
        {labels.map((key) => (
          <th key={key} scope="col">
            {t(key)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** `/admin`: organisations, users, and a new user. */
export function AdminPage() {
  const { t } = useTranslation();
  return (
    <AdminOnly title={t('admin.title')}>
      <PageHeading title={t('admin.title')}>{t('admin.title')}</PageHeading>
      <Users />
      <CreateUser />
      <Organizations />
    </AdminOnly>
  );
}

function StateText({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  if (user.disabled) return <span className="state state-disabled">{t('admin.state.disabled')}</span>;
  if (user.locked) return <span className="state state-locked">{t('admin.state.locked')}</span>;
  return <span className="state">{t('admin.state.active')}</span>;
}

function Users() {
  const { t } = useTranslation();
  const label = useLabel();
  const users = useQuery({
    queryKey: USERS,
    queryFn: ({ signal }) => api<AdminUser[]>('/admin/users', { signal }),
  });
  return (
    <section aria-labelledby="admin-users">
      <h2 id="admin-users">{t('admin.users')}</h2>
      {users.isPending && <p role="status">{t('common.loading')}</p>}
      <ErrorMessage error={users.error} />
      {users.data && (
        <div className="table-scroll">
          <table className="admin-users">
            <caption className="visually-hidden">{t('admin.users')}</caption>
            <ColumnHeads
              labels={[
                'admin.columns.email',
                'admin.columns.organization',
                'admin.columns.role',
                'admin.columns.sectors',
                'admin.columns.mfa',
                'admin.columns.state',
                'admin.columns.created',
              ]}
            />
            <tbody>
              {users.data.map((user) => (
                <tr key={user.id} data-email={user.email}>
                  <th scope="row">
                    <Link
                      href={`/admin/users/${user.id}`}
                      aria-label={t('admin.manage', { email: user.email })}
                    >
                      {user.email}
                    </Link>
                  </th>
                  <td>{user.organization}</td>
                  <td>{t(`roles.${user.role}`)}</td>
                  <td>
                    {user.sectors.length
                      ? user.sectors.map((s) => label('sectors', s)).join(t('common.listSeparator'))
                      : '—'}
                  </td>
                  <td>{user.mfa_enabled ? t('admin.mfaOn') : t('admin.mfaOff')}</td>
                  <td>
                    <StateText user={user} />
                  </td>
                  <td className="nowrap">
                    <DateTime iso={user.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Organizations() {
  const { t } = useTranslation();
  const label = useLabel();
  const organizations = useOrganizations();
  return (
    <section aria-labelledby="admin-organizations">
      <h2 id="admin-organizations">{t('admin.organizations')}</h2>
      <ErrorMessage error={organizations.error} />
      {organizations.data && (
        <table className="admin-organizations">
          <caption className="visually-hidden">{t('admin.organizations')}</caption>
          <ColumnHeads labels={['admin.columns.name', 'admin.columns.sector', 'admin.columns.created']} />
          <tbody>
            {organizations.data.map((org) => (
              <tr key={org.id}>
                <th scope="row">{org.name}</th>
                <td>{label('sectors', org.sector)}</td>
                <td className="nowrap">
                  <DateTime iso={org.created_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function useOrganizations() {
  return useQuery({
    queryKey: ORGANIZATIONS,
    queryFn: ({ signal }) => api<Organization[]>('/admin/organizations', { signal }),
  });
}

function CreateUser() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const taxonomy = useTaxonomy();
  const organizations = useOrganizations();
  const listId = useId();
  const hintId = useId();
  const orgId = useId();
  const [email, setEmail] = useState('');
  const [organization, setOrganization] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [sectors, setSectors] = useState<string[]>([]);
  const [created, setCreated] = useState<{ id: number; email: string } | null>(null);
  const create = useMutation({
    mutationFn: () =>
      post<{ id: number }>('/admin/users', {
        email,
        organization,
        role,
        ...(role === 'sector_desk' ? { sectors } : {}),
      }),
    onSuccess: ({ id }) => {
      setCreated({ id, email });
      setEmail('');
      setSectors([]);
      void client.invalidateQueries({ queryKey: ['admin'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!create.isPending) create.mutate();
  };
  return (
    <section aria-labelledby="admin-create">
      <h2 id="admin-create">{t('admin.create.title')}</h2>
      <form className="admin-form stack" onSubmit={submit}>
        <label>
          {t('admin.create.email')}
          <input
            type="email"
            name="email"
            required
            maxLength={320}
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <div className="field">
          <label htmlFor={orgId}>{t('admin.create.organization')}</label>
          <input
            id={orgId}
            type="text"
            name="organization"
            required
            maxLength={200}
            list={listId}
            aria-describedby={hintId}
            value={organization}
            onChange={(e) => setOrganization(e.target.value)}
          />
          <span id={hintId} className="hint">
            {t('admin.create.organizationHint')}
          </span>
        </div>
        <datalist id={listId}>
          {organizations.data?.map((org) => (
            <option key={org.id} value={org.name} />
          ))}
        </datalist>
        <label>
          {t('admin.create.role')}
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        {role === 'sector_desk' && taxonomy.data && (
          <fieldset>
            <legend>{t('admin.create.sectors')}</legend>
            <div className="choice-grid">
              {taxonomy.data.sectors.map((sector) => (
                <label key={sector.code} className="toggle">
                  <input
                    type="checkbox"
                    value={sector.code}
                    checked={sectors.includes(sector.code)}
                    onChange={(e) =>
                      setSectors((current) =>
                        e.target.checked
                          ? [...current, sector.code]
                          : current.filter((s) => s !== sector.code),
                      )
                    }
                  />
                  {labelOf(sector, i18n.language)}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <ErrorMessage error={create.error} />
        <div className="row">
          <button type="submit" disabled={create.isPending}>
            {t('admin.create.submit')}
          </button>
        </div>
        <div aria-live="polite">
          {created && (
            <p className="done">
              {t('admin.create.done', { email: created.email })}{' '}
              <Link href={`/admin/users/${created.id}`}>{t('admin.manage', { email: created.email })}</Link>
            </p>
          )}
        </div>
      </form>
    </section>
  );
}

/** `/admin/users/{id}`: one user's resets, unlock, disable, and API tokens. */
export function AdminUserPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const users = useQuery({
    queryKey: USERS,
    queryFn: ({ signal }) => api<AdminUser[]>('/admin/users', { signal }),
  });
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
          <Tokens user={user} />
        </>
      )}
    </AdminOnly>
  );
}

function Account({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const label = useLabel();
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
            {user.sectors.length
              ? user.sectors.map((s) => label('sectors', s)).join(t('common.listSeparator'))
              : '—'}
          </dd>
        </div>
        <div>
          <dt>{t('admin.columns.mfa')}</dt>
          <dd>{user.mfa_enabled ? t('admin.mfaOn') : t('admin.mfaOff')}</dd>
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
  const refresh = () => void client.invalidateQueries({ queryKey: USERS });
  const base = `/admin/users/${user.id}`;
  const reset = useMutation({
    mutationFn: () => post<{ temporary_password: string }>(`${base}/password-reset`),
    onSuccess: (answer) => {
      setMessage('');
      setPassword(answer.temporary_password);
      refresh();
    },
  });
  const mfa = useMutation({
    mutationFn: () => post<void>(`${base}/mfa-reset`),
    onSuccess: () => {
      setPassword(null);
      setMessage(t('admin.user.mfaReset'));
      refresh();
    },
  });
  const unlock = useMutation({
    mutationFn: () => post<void>(`${base}/unlock`),
    onSuccess: () => {
      setPassword(null);
      setMessage(t('admin.user.unlocked'));
      refresh();
    },
  });
  const disable = useMutation({
    mutationFn: (disabled: boolean) => api<void>(`${base}/disabled`, { method: 'PUT', body: { disabled } }),
    onSuccess: (_, disabled) => {
      setPassword(null);
      setMessage(disabled ? t('admin.user.disabled') : t('admin.user.enabled'));
      refresh();
    },
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
        {password && (
          <div className="once">
            <p>
              {t('admin.user.temporaryPassword')}:{' '}
              <code className="wrap" data-testid="temporary-password">
                {password}
              </code>
            </p>
            <p className="hint">{t('admin.user.shownOnce')}</p>
          </div>
        )}
      </div>
    </section>
  );
}

function Tokens({ user }: { user: AdminUser }) {
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
          <div className="once">
            <p>
              {t('admin.tokens.issued')}:{' '}
              <code className="wrap" data-testid="issued-token">
                {issued}
              </code>
            </p>
            <p className="hint">{t('admin.tokens.issuedHint')}</p>
          </div>
        )}
      </div>
    </form>
  );
}
