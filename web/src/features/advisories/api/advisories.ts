import type { QueryClient } from '@tanstack/react-query';
import { api, queryString } from '../../../shared/api/client';
import { post } from '../../../shared/api/idempotent';
import type {
  AdvisoryBody,
  AdvisoryPage,
  AdvisoryView,
  FollowUpView,
  ReceiptBody,
  ReceiptView,
  ReminderAnswer,
  ReminderTarget,
  RevisionList,
  ReviseBody,
  RecipientChoice,
} from './contract';

export type * from './contract';
export { ACTION_STATUSES, SEVERITIES } from './contract';

/** The caller's advisories, newest first, a page per cursor (the inbox). */
export function inboxQuery(unreadOnly: boolean) {
  return {
    queryKey: ['advisories', 'list', unreadOnly] as const,
    queryFn: ({ signal, pageParam }: { signal: AbortSignal; pageParam: string | null }) =>
      api<AdvisoryPage>(
        `/advisories${queryString({ unread: unreadOnly ? 'true' : undefined, cursor: pageParam })}`,
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last: AdvisoryPage) => last.next_cursor,
    refetchInterval: 60_000,
  };
}

export function advisoryQuery(id: number) {
  return {
    queryKey: ['advisories', 'one', id] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) => api<AdvisoryView>(`/advisories/${id}`, { signal }),
  };
}

export function revisionsQuery(id: number) {
  return {
    queryKey: ['advisories', 'revisions', id] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<RevisionList>(`/advisories/${id}/revisions`, { signal }),
  };
}

/** The organisations the center may address by name (for the compose form's picker). */
export function recipientsQuery() {
  return {
    queryKey: ['advisories', 'recipients'] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<RecipientChoice[]>('/advisories/recipients', { signal }),
    staleTime: 60_000,
  };
}

export function followUpQuery(id: number) {
  return {
    queryKey: ['advisories', 'follow-up', id] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<FollowUpView>(`/advisories/${id}/follow-up`, { signal }),
  };
}

/**
 * A notification names the advisory's incident, not the advisory: the advisory is found in the
 * caller's inbox (what the caller sees, so an unseen one is "not found" exactly as elsewhere).
 */
export async function advisoryOfIncident(incidentId: number, signal: AbortSignal): Promise<number | null> {
  const answer = await api<AdvisoryPage>(`/advisories${queryString({ incident_id: incidentId, limit: 1 })}`, {
    signal,
  });
  return answer.items[0]?.id ?? null;
}

export const createAdvisory = (body: AdvisoryBody) => post<AdvisoryView>('/advisories', body);

/** A new revision of `revision` (If-Match: a colleague's revision in between is refused, 412). */
export const reviseAdvisory = (id: number, revision: number, body: ReviseBody) =>
  api<AdvisoryView>(`/advisories/${id}`, {
    method: 'PUT',
    body,
    headers: { 'if-match': `"r${revision}"` },
  });

export const putReceipt = (id: number, body: ReceiptBody) =>
  api<ReceiptView>(`/advisories/${id}/receipt`, { method: 'PUT', body });

export const sendReminder = (id: number, to: ReminderTarget) =>
  post<ReminderAnswer>(`/advisories/${id}/reminders`, { to });

/** After a receipt or a new advisory: the inbox, the advisory, its follow-up and the badges read again. */
export function invalidateAdvisories(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: ['advisories'] });
  void client.invalidateQueries({ queryKey: ['notifications'] });
}
