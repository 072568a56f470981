import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../../../shared/api/taxonomy';
import { Refused } from '../../../shared/components/refused';
import { Link } from '../../../shared/router';
import { useCan } from '../../auth/api/session';
import type { AdminUser } from '../api/admin';
import '../../../shared/styles/forms.css';
import './admin.css';

export function AdminOnly({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  const can = useCan();
  if (!can('admin:users')) return <Refused title={title} message={t('admin.forbidden')} />;
  return <>{children}</>;
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

/** Said where a change became a request: it waits for a second admin. */
export function WaitingForSecondAdmin() {
  const { t } = useTranslation();
  return (
    <p className="done" data-testid="waiting-second-admin">
      {t('admin.pending.sent')} <Link href="/admin/approvals">{t('admin.pending.link')}</Link>
    </p>
  );
}
