import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from '../../../shared/router';
import { unreadQuery } from '../api/notifications';

/** The header's link to the notifications, with the unread count as a badge (polled). */
export function NotificationsLink({ current }: { current: 'page' | undefined }) {
  const { t } = useTranslation();
  const unread = useQuery(unreadQuery).data?.unread ?? 0;
  return (
    <Link href="/notifications" aria-current={current} data-testid="notifications-link">
      {t('notifications.nav')}
      {unread > 0 && (
        <span className="count-badge" data-testid="unread-badge">
          <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
          <span className="visually-hidden">{t('notifications.badge', { count: unread })}</span>
        </span>
      )}
    </Link>
  );
}
