import { api, queryString } from '../../../shared/api/client';
import type { UnreadTotal } from '../../../../../src/modules/conversations/conversation.schema.js';
import type {
  MarkReadAnswer,
  NotificationList,
  NotificationSettings,
  NotificationSettingsBody,
} from '../../../../../src/modules/notifications/notification.schema.js';

export type {
  NotificationList,
  NotificationSettings,
  NotificationView,
} from '../../../../../src/modules/notifications/notification.schema.js';

/** The header's badge: polled, so a question reaches an open page within half a minute. */
export const unreadQuery = {
  queryKey: ['notifications', 'unread'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api<{ unread: number }>('/notifications/unread', { signal }),
  refetchInterval: 30_000,
};

export function notificationsQuery(unreadOnly: boolean) {
  return {
    queryKey: ['notifications', 'list', unreadOnly] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<NotificationList>(
        `/notifications${queryString({ limit: 100, unread: unreadOnly ? 'true' : undefined })}`,
        {
          signal,
        },
      ),
    refetchInterval: 30_000,
  };
}

export const markRead = (body: { ids: number[] } | { all: true }) =>
  api<MarkReadAnswer>('/notifications/read', { method: 'POST', body });

export const settingsQuery = {
  queryKey: ['notifications', 'settings'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api<NotificationSettings>('/notifications/settings', { signal }),
};

export const saveSettings = (body: NotificationSettingsBody) =>
  api<NotificationSettings>('/notifications/settings', { method: 'PUT', body });

/** Unread messages in every conversation the caller takes part in, per incident. */
export const unreadMessagesQuery = {
  queryKey: ['notifications', 'messages'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => api<UnreadTotal>('/messages/unread', { signal }),
  refetchInterval: 30_000,
};
