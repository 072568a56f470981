import { useTranslation } from 'react-i18next';
import { Link } from '../../../shared/router';
import { useApprovals } from '../api/admin';

/** On the admin page: how many requests wait for a second admin, and the way to them. */
export function PendingApprovals() {
  const { t } = useTranslation();
  const approvals = useApprovals();
  const waiting = approvals.data?.filter((a) => a.status === 'pending').length ?? 0;
  return (
    <p data-testid="pending-approvals">
      <Link href="/admin/approvals">{t('admin.approvals.nav')}</Link>
      {waiting > 0 && <strong> · {t('admin.approvals.pendingCount', { count: waiting })}</strong>}
    </p>
  );
}
