import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../../src/access/index.js';
import { api } from '../../../shared/api/client';
import { ErrorMessage } from '../../../shared/components/error-message';
import { RoleFields } from './role-fields';
import type { AdminUser, PendingAnswer } from '../api/admin';
import { APPROVALS, isPending, roleOf, USERS } from '../api/admin';
import { WaitingForSecondAdmin } from './shared';

/** A new role for the user; to center analyst or admin it becomes a request for a second admin. */
export function RoleChange({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  // The stored role is always one of the roles (the server checks it on every write).
  const [role, setRole] = useState<Role>(roleOf(user) ?? 'operator');
  const [sectors, setSectors] = useState<string[]>(user.sectors);
  const [outcome, setOutcome] = useState<'done' | 'waiting' | null>(null);
  const change = useMutation({
    mutationFn: () =>
      api<PendingAnswer | undefined>(`/admin/users/${user.id}/role`, {
        method: 'PUT',
        body: { role, ...(role === 'sector_desk' ? { sectors } : {}) },
      }),
    onSuccess: (answer) => {
      setOutcome(isPending(answer) ? 'waiting' : 'done');
      void client.invalidateQueries({ queryKey: USERS });
      void client.invalidateQueries({ queryKey: APPROVALS });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!change.isPending) change.mutate();
  };
  return (
    <section aria-labelledby="admin-role">
      <h2 id="admin-role">{t('admin.role.title')}</h2>
      <form className="admin-form stack" onSubmit={submit}>
        <RoleFields name="new-role" role={role} setRole={setRole} sectors={sectors} setSectors={setSectors} />
        <ErrorMessage error={change.error} />
        <div className="row">
          <button
            type="submit"
            className="secondary"
            disabled={change.isPending || (role === user.role && sectors.join() === user.sectors.join())}
          >
            {t('admin.role.submit')}
          </button>
        </div>
        <div aria-live="polite">
          {outcome === 'done' && <p className="done">{t('admin.role.done')}</p>}
          {outcome === 'waiting' && <WaitingForSecondAdmin />}
        </div>
      </form>
    </section>
  );
}
