import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../../src/access/index.js';
import { api } from '../../../shared/api/client';
import { useLabel } from '../../../shared/api/taxonomy';
import { useCan } from '../../auth/api/session';
import { Refused } from '../../../shared/components/refused';
import { Link } from '../../../shared/router';
import { randomUuid } from '../../report/model/report-model';
import '../../../shared/styles/forms.css';
import './admin.css';

/** The answers of the admin API (src/modules/admin/admin.routes.ts). */
export interface AdminUser {
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
export interface Organization {
  id: number;
  name: string;
  sector: string | null;
  created_at: string;
}
export interface ApiToken {
  id: number;
  label: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

/** A request under the two-person rule (src/modules/admin/admin.schema.ts). */
export interface Approval {
  id: number;
  kind: 'create_user' | 'set_role' | 'reset_password' | 'reset_mfa';
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  target: { id: number; email: string } | null;
  payload: { email?: string; organization?: string; role?: Role; sectors?: string[] };
  requested_by: string;
  requested_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
}
/** A change that waits for a second admin answers with its request. */
export const isPending = (answer: unknown): answer is { approval: Approval } =>
  typeof answer === 'object' && answer !== null && 'approval' in answer;

export const USERS = ['admin', 'users'] as const;
export const APPROVALS = ['admin', 'approvals'] as const;
const ORGANIZATIONS = ['admin', 'organizations'] as const;
export const tokensKey = (id: number) => ['admin', 'tokens', id] as const;

/** A POST that is safe to retry: a random Idempotency-Key per attempt. */
export function post<T>(path: string, body?: unknown): Promise<T> {
  return api<T>(path, { method: 'POST', body, headers: { 'idempotency-key': randomUuid() } });
}

export function useUsers() {
  return useQuery({
    queryKey: USERS,
    queryFn: ({ signal }) => api<AdminUser[]>('/admin/users', { signal }),
  });
}

export function useOrganizations() {
  return useQuery({
    queryKey: ORGANIZATIONS,
    queryFn: ({ signal }) => api<Organization[]>('/admin/organizations', { signal }),
  });
}

export function AdminOnly({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const can = useCan();
  if (!can('admin:users')) return <Refused title={title} message={t('admin.forbidden')} />;
  return <>{children}</>;
}

/**
 * A button for what cannot be undone: the first press asks (the focus moves to "go ahead"), the
 * second does it; cancelling gives the focus back to the button.
 */
export function ConfirmButton({
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
  const close = () => {
    refocus.current = true;
    setAsking(false);
  };
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
          close();
          onConfirm();
        }}
      >
        {t('admin.confirm.yes')}
      </button>
      <button type="button" className="secondary" onClick={close}>
        {t('admin.confirm.no')}
      </button>
    </span>
  );
}

/** A table's <thead>: one row of column headers, each an i18n key. */
export function ColumnHeads({ labels }: { labels: string[] }) {
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

export function StateText({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  if (user.disabled) return <span className="state state-disabled">{t('admin.state.disabled')}</span>;
  if (user.locked) return <span className="state state-locked">{t('admin.state.locked')}</span>;
  return <span className="state">{t('admin.state.active')}</span>;
}

/** A user's sectors by name, or a dash for none. */
export function SectorList({ sectors }: { sectors: string[] }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <>{sectors.length ? sectors.map((s) => label('sectors', s)).join(t('common.listSeparator')) : '—'}</>
  );
}

export function MfaText({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  return <>{user.mfa_enabled ? t('admin.mfaOn') : t('admin.mfaOff')}</>;
}

/** A secret the server shows once (a temporary password, a new token), with its warning. */
/** Said where a change became a request: it waits for a second admin. */
export function WaitingForSecondAdmin() {
  const { t } = useTranslation();
  return (
    <p className="done" data-testid="waiting-second-admin">
      {t('admin.pending.sent')} <Link href="/admin/approvals">{t('admin.pending.link')}</Link>
    </p>
  );
}

export function ShownOnce({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint: string;
  testId: string;
}) {
  return (
    <div className="once">
      <p>
        {label}:{' '}
        <code className="wrap" data-testid={testId}>
          {value}
        </code>
      </p>
      <p className="hint">{hint}</p>
    </div>
  );
}
