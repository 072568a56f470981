import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { PageHeading } from '../../../shared/components/page-heading';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import { Link, navigate } from '../../../shared/router';
import type { NotificationList, NotificationSettings, NotificationView } from '../api/notifications';
import {
  markRead,
  notificationsQuery,
  saveSettings,
  settingsQuery,
  unreadMessagesQuery,
} from '../api/notifications';
import '../../incidents/components/incident-conversation.css';

/** Where a notification leads: an advisory's to the advisory page, the others to the incident. */
function hrefOf(n: NotificationView): string {
  const kind: string = n.kind;
  return kind === 'advisory' || kind === 'advisory_reminder'
    ? `/advisories/incident/${n.incident.id}`
    : `/incidents/${n.incident.id}`;
}

/** The caller's notifications, newest first: opening one marks it read; and the mail settings. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useQuery(notificationsQuery(unreadOnly));
  const client = useQueryClient();
  const mark = useMutation({
    mutationFn: markRead,
    // Read at once in the cached lists: coming back from the incident a notification opened leads
    // to, the list shows it read, not the unread state it had before (until a refetch answered).
    onMutate: (body) => {
      const now = new Date().toISOString();
      const ids = 'ids' in body ? new Set(body.ids) : null;
      client.setQueriesData<NotificationList>({ queryKey: ['notifications', 'list'] }, (old) => {
        if (!old) return old;
        let marked = 0;
        const items = old.items.map((n) => {
          if (n.read_at || (ids && !ids.has(n.id))) return n;
          marked++;
          return { ...n, read_at: now };
        });
        return { ...old, items, unread: ids ? Math.max(0, old.unread - marked) : 0 };
      });
    },
    onSettled: () => void client.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const open = (n: NotificationView) => {
    if (!n.read_at) mark.mutate({ ids: [n.id] });
    navigate(hrefOf(n));
  };
  return (
    <>
      <PageHeading title={t('notifications.title')}>{t('notifications.title')}</PageHeading>
      <div className="toolbar">
        <label className="toggle">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />
          {t('notifications.unreadOnly')}
        </label>
        {list.data && list.data.unread > 0 && (
          <>
            <span data-testid="notifications-unread">
              {t('notifications.unread', { count: list.data.unread })}
            </span>
            <button type="button" className="secondary" onClick={() => mark.mutate({ all: true })}>
              {t('notifications.markAll')}
            </button>
          </>
        )}
      </div>
      <ErrorMessage error={list.error ?? mark.error} />
      {list.isPending && <p role="status">{t('common.loading')}</p>}
      {list.data && list.data.items.length === 0 && <p>{t('notifications.empty')}</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="notifications">
            <thead>
              <tr>
                <th scope="col">{t('notifications.columns.at')}</th>
                <th scope="col">{t('notifications.columns.kind')}</th>
                <th scope="col">{t('notifications.columns.incident')}</th>
                <th scope="col">{t('notifications.columns.state')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((n) => (
                <tr key={n.id} data-kind={n.kind} data-unread={n.read_at ? undefined : 'true'}>
                  <td>
                    <DateTime iso={n.created_at} />
                  </td>
                  <td>
                    {n.read_at ? (
                      t(`notifications.kinds.${n.kind}`)
                    ) : (
                      <strong>{t(`notifications.kinds.${n.kind}`)}</strong>
                    )}
                  </td>
                  <td>
                    <Link
                      href={hrefOf(n)}
                      onClick={(e) => {
                        e.preventDefault();
                        open(n);
                      }}
                    >
                      {n.incident.ref}
                    </Link>{' '}
                    <TlpBadge tlp={n.incident.tlp} />
                  </td>
                  <td>
                    {n.read_at ? (
                      '—'
                    ) : (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => mark.mutate({ ids: [n.id] })}
                      >
                        {t('notifications.markRead')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <UnreadMessages />
      <MailSettings />
    </>
  );
}

/** The conversations with messages not read yet, and how many (the total unread per incident). */
function UnreadMessages() {
  const { t } = useTranslation();
  const unread = useQuery(unreadMessagesQuery);
  if (!unread.data || unread.data.total === 0) return null;
  return (
    <section aria-labelledby="unread-messages-heading">
      <h2 id="unread-messages-heading">
        {t('notifications.messages.title')}
        <span className="count-badge">{t('notifications.unread', { count: unread.data.total })}</span>
      </h2>
      <ul className="unread-messages">
        {unread.data.incidents.map((i) => (
          <li key={i.incident_id}>
            <Link href={`/incidents/${i.incident_id}`}>{i.ref}</Link>{' '}
            {t('notifications.messages.count', { count: i.unread })}
          </li>
        ))}
      </ul>
    </section>
  );
}

function MailSettings() {
  const { t } = useTranslation();
  const settings = useQuery(settingsQuery);
  return (
    <section aria-labelledby="mail-settings-heading">
      <h2 id="mail-settings-heading">{t('notifications.settings.title')}</h2>
      <p className="hint">{t('notifications.settings.privacy')}</p>
      <ErrorMessage error={settings.error} />
      {settings.data && <SettingsForm initial={settings.data} />}
    </section>
  );
}

function SettingsForm({ initial }: { initial: NotificationSettings }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [language, setLanguage] = useState(initial.language);
  const [mail, setMail] = useState(initial.mail);
  const save = useMutation({
    mutationFn: saveSettings,
    onSuccess: (saved) => client.setQueryData(settingsQuery.queryKey, saved),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ language, mail });
  };
  return (
    <form className="admin-form settings" onSubmit={submit}>
      {!initial.mail_configured && <p className="hint">{t('notifications.settings.notConfigured')}</p>}
      <div className="field">
        <label htmlFor="mail-language">{t('notifications.settings.language')}</label>
        <select
          id="mail-language"
          value={language}
          onChange={(e) => setLanguage(e.target.value === 'en' ? 'en' : 'ja')}
        >
          <option value="ja">{t('notifications.languages.ja')}</option>
          <option value="en">{t('notifications.languages.en')}</option>
        </select>
      </div>
      <label className="toggle">
        <input type="checkbox" checked={mail} onChange={(e) => setMail(e.target.checked)} />
        {t('notifications.settings.mail')}
      </label>
      <ErrorMessage error={save.error} />
      <p>
        <button type="submit" disabled={save.isPending}>
          {t('notifications.settings.save')}
        </button>{' '}
        {save.isSuccess && <span role="status">{t('notifications.settings.saved')}</span>}
      </p>
    </form>
  );
}
