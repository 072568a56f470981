import type { QueryClient } from '@tanstack/react-query';
import { api, queryString } from '../../../shared/api/client';
import type { IntelItem, IntelPage, TriageState } from '../../../../../src/modules/stix/stix.schema.js';

export type { IntelItem, IntelPage, TriageState };

/** The triage states in the order the page offers them (the server's type holds the list). */
export const TRIAGE_STATES = ['new', 'accepted', 'dismissed'] as const satisfies readonly TriageState[];

/** Incoming intelligence, oldest first, by state (absent: every state) and STIX type. */
export function intelQuery(state: TriageState | undefined, type: string | undefined) {
  return {
    queryKey: ['intel', 'list', state ?? 'all', type ?? ''] as const,
    queryFn: ({ signal, pageParam }: { signal: AbortSignal; pageParam: number | null }) =>
      api<IntelPage>(`/intel${queryString({ state, type, after: pageParam })}`, { signal }),
    initialPageParam: null as number | null,
    getNextPageParam: (last: IntelPage) => last.next_after,
  };
}

export const setTriage = (id: number, triage_state: TriageState) =>
  api<IntelItem>(`/intel/${id}`, { method: 'PUT', body: { triage_state } });

export function invalidateIntel(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: ['intel'] });
}
