import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../src/access/index.js';
import { ROLES } from '../../../../src/access/actor.js';
import { api } from '../../api/client';
import { labelOf, useTaxonomy } from '../../api/taxonomy';
import { ErrorMessage } from '../../components/error-message';
import type { AdminUser, Approval } from './shared';
import { APPROVALS, isPending, USERS, WaitingForSecondAdmin } from './shared';

/** A new role for the user; to center analyst or admin it becomes a request for a second admin. */
export function RoleChange({ user }: { user: AdminUser }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const taxonomy = useTaxonomy();
  const [role, setRole] = useState<Role>(user.role);
  const [sectors, setSectors] = useState<string[]>(user.sectors);
  const [outcome, setOutcome] = useState<'done' | 'waiting' | null>(null);
  const change = useMutation({
    mutationFn: () =>
      api<{ approval: Approval } | undefined>(`/admin/users/${user.id}/role`, {
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
        <label>
          {t('admin.create.role')}
          <select name="new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
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
