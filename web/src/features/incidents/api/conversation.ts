import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client';
import type {
  ConversationView,
  MessageView,
  ReadMarkerView,
} from '../../../../../src/modules/conversations/conversation.schema.js';

export type {
  ConversationView,
  MessageView,
} from '../../../../../src/modules/conversations/conversation.schema.js';
export { MESSAGE_MAX_LENGTH } from '../../../../../src/domain/conversation.js';

export function conversationQuery(id: number) {
  return {
    queryKey: ['conversation', id] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<ConversationView>(`/incidents/${id}/messages?limit=500`, { signal }),
    // Questions and answers arrive while the page is open.
    refetchInterval: 30_000,
  };
}

export const postMessage = (id: number, body: string) =>
  api<MessageView>(`/incidents/${id}/messages`, { method: 'POST', body: { body } });

export const markConversationRead = (id: number, lastReadId: number) =>
  api<ReadMarkerView>(`/incidents/${id}/messages/read`, {
    method: 'PUT',
    body: { last_read_id: lastReadId },
  });

/** After a message or a read marker: the conversation and every unread count are read again. */
export function invalidateConversation(client: QueryClient, id: number): void {
  void client.invalidateQueries({ queryKey: ['conversation', id] });
  void client.invalidateQueries({ queryKey: ['notifications'] });
}
