import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../../../src/access/index.js';
import { useLabel } from '../../../shared/api/taxonomy';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { RoleFields } from '../components/role-fields';
import { PageHeading } from '../../../shared/components/page-heading';
import { TableScroll } from '../../../shared/components/table-scroll';
import { Link } from '../../../shared/router';
import { PendingApprovals } from '../components/pending-approvals';
import type { CreatedUser, PendingAnswer } from '../api/admin';
import { isPending, useOrganizations, useUsers } from '../api/admin';
import {
  AdminOnly,
  ColumnHeads,
  MfaText,
  SectorList,
  StateText,
  WaitingForSecondAdmin,
} from '../components/shared';
import { post } from '../../../shared/api/idempotent';
import { OrganizationFlags, RegimesAdmin } from '../components/regimes-admin';

/** `/admin`: organisations, users, and a new user. */
export function AdminPage() {
  const { t } = useTranslation();
  return (
    <AdminOnly title={t('admin.title')}>
      <PageHeading title={t('admin.title')}>{t('admin.title')}</PageHeading>
      <PendingApprovals />
      <Users />
      <CreateUser />
      <Organizations />
      <RegimesAdmin />
    </AdminOnly>
  );
}

function Users() {
  const { t } = useTranslation();
  const users = useUsers();
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
                    <SectorList sectors={user.sectors} />
                  </td>
                  <td>
                    <MfaText user={user} />
                  </td>
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
        <TableScroll label={t('admin.organizations')}>
          <table className="admin-organizations">
            <caption className="visually-hidden">{t('admin.organizations')}</caption>
            <ColumnHeads
              labels={[
                'admin.columns.name',
                'admin.columns.sector',
                'admin.columns.created',
                'regimesAdmin.flags',
              ]}
            />
            <tbody>
              {organizations.data.map((org) => (
                <tr key={org.id}>
                  <th scope="row">{org.name}</th>
                  <td>{label('sectors', org.sector)}</td>
                  <td className="nowrap">
                    <DateTime iso={org.created_at} />
                  </td>
                  <td>
                    <OrganizationFlags org={org} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function CreateUser() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const organizations = useOrganizations();
  const listId = useId();
  const hintId = useId();
  const orgId = useId();
  const [email, setEmail] = useState('');
  const [organization, setOrganization] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [sectors, setSectors] = useState<string[]>([]);
  const [created, setCreated] = useState<{ id: number; email: string } | null>(null);
  const [waiting, setWaiting] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      post<CreatedUser | PendingAnswer>('/admin/users', {
        email,
        organization,
        role,
        ...(role === 'sector_desk' ? { sectors } : {}),
      }),
    onSuccess: (answer) => {
      // A center analyst or an admin is a request: it waits for a second admin.
      setWaiting(isPending(answer));
      setCreated(isPending(answer) ? null : { id: answer.id, email });
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
        <RoleFields name="role" role={role} setRole={setRole} sectors={sectors} setSectors={setSectors} />
        <ErrorMessage error={create.error} />
        <div className="row">
          <button type="submit" disabled={create.isPending}>
            {t('admin.create.submit')}
          </button>
        </div>
        <div aria-live="polite">
          {waiting && <WaitingForSecondAdmin />}
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
