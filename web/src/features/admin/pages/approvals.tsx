import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/api/session';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { Link } from '../../../shared/router';
import type { Approval, ApprovalAnswer, ApprovedAnswer } from '../api/admin';
import { APPROVALS, useApprovals, USERS } from '../api/admin';
import { AdminOnly, ColumnHeads } from '../components/shared';
import { post } from '../../../shared/api/idempotent';
import { ShownOnce } from '../../../shared/components/shown-once';

/**
 * `/admin/approvals`: the two-person rule's requests. Another admin approves or rejects; the
 * requester sees "waiting for a second admin" and may withdraw. A reset's temporary password is
 * shown once here to the approver: the requester never sees it, so no single admin obtains a
 * center or admin credential alone.
 */
export function AdminApprovalsPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const me = useSession().session?.user.email;
  const approvals = useApprovals();
  const [message, setMessage] = useState('');
  const [password, setPassword] = useState<{ email: string; value: string } | null>(null);
  const settled = () => {
    void client.invalidateQueries({ queryKey: APPROVALS });
    void client.invalidateQueries({ queryKey: USERS });
  };
  const approve = useMutation({
    mutationFn: (a: Approval) => post<ApprovedAnswer>(`/admin/approvals/${a.id}/approve`),
    onSuccess: (answer, a) => {
      setMessage(t('admin.approvals.approved'));
      setPassword(
        answer.temporary_password ? { email: a.target?.email ?? '', value: answer.temporary_password } : null,
      );
      settled();
    },
  });
  const reject = useMutation({
    mutationFn: (a: Approval) => post<ApprovalAnswer>(`/admin/approvals/${a.id}/reject`),
    onSuccess: () => {
      setMessage(t('admin.approvals.rejected'));
      setPassword(null);
      settled();
    },
  });
  const busy = approve.isPending || reject.isPending;
  return (
    <AdminOnly title={t('admin.title')}>
      <p>
        <Link href="/admin">{t('admin.user.back')}</Link>
      </p>
      <PageHeading title={t('admin.approvals.title')}>{t('admin.approvals.title')}</PageHeading>
      <p>{t('admin.approvals.intro')}</p>
      <p className="hint">{t('admin.approvals.passwordForApprover')}</p>
      {approvals.isPending && <p role="status">{t('common.loading')}</p>}
      <ErrorMessage error={approvals.error ?? approve.error ?? reject.error} />
      <div aria-live="polite">
        {message && <p className="done">{message}</p>}
        {password && (
          <ShownOnce
            label={`${t('admin.user.temporaryPassword')} (${password.email})`}
            value={password.value}
            hint={t('admin.user.shownOnce')}
            testId="temporary-password"
          />
        )}
      </div>
      {approvals.data && approvals.data.length === 0 && <p>{t('admin.approvals.none')}</p>}
      {approvals.data && approvals.data.length > 0 && (
        <table className="admin-approvals">
          <caption className="visually-hidden">{t('admin.approvals.title')}</caption>
          <ColumnHeads
            labels={[
              'admin.approvals.columns.request',
              'admin.approvals.columns.subject',
              'admin.approvals.columns.requestedBy',
              'admin.approvals.columns.requestedAt',
              'admin.approvals.columns.expires',
              'admin.approvals.columns.status',
              'admin.approvals.columns.actions',
            ]}
          />
          <tbody>
            {approvals.data.map((a) => (
              <tr key={a.id} data-approval={a.id}>
                <th scope="row">{t(`admin.approvals.kind.${a.kind}`)}</th>
                <td>
                  <Subject approval={a} />
                </td>
                <td>{a.requested_by}</td>
                <td className="nowrap">
                  <DateTime iso={a.requested_at} />
                </td>
                <td className="nowrap">
                  <DateTime iso={a.expires_at} />
                </td>
                <td>
                  {t(`admin.approvals.status.${a.status}`)}
                  {a.decided_by && (
                    <span className="hint"> {t('admin.approvals.decidedBy', { email: a.decided_by })}</span>
                  )}
                </td>
                <td>
                  {a.status === 'pending' && (
                    <span className="row">
                      {a.requested_by === me ? (
                        <span className="hint" data-testid="own-request">
                          {t('admin.approvals.ownRequest')}
                        </span>
                      ) : (
                        <button type="button" disabled={busy} onClick={() => approve.mutate(a)}>
                          {t('admin.approvals.approve')}
                        </button>
                      )}
                      <button
                        type="button"
                        className="secondary"
                        disabled={busy}
                        onClick={() => reject.mutate(a)}
                      >
                        {a.requested_by === me ? t('admin.approvals.withdraw') : t('admin.approvals.reject')}
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminOnly>
  );
}

function Subject({ approval }: { approval: Approval }) {
  const { t } = useTranslation();
  const p = approval.payload;
  const email = approval.target?.email ?? p.email ?? '';
  return (
    <>
      {email}
      {p.role && <span className="hint"> → {t(`roles.${p.role}`)}</span>}
      {p.organization && <span className="hint"> ({p.organization})</span>}
    </>
  );
}
