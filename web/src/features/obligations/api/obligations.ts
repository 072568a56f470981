import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client';
import type {
  Deadlines,
  DecisionBody,
  FactsBody,
  ObligationsView,
  Preview,
  PreviewBody,
  RegimeDuty,
  StageBody,
  StageView,
} from '../../../../../src/modules/obligations/obligation.schema.js';

/** The answers of the reporting duties' routes (src/modules/obligations/obligation.schema.ts). */
export type { Deadlines, ObligationsView, Preview, RegimeDuty, StageView };

/** The facts a reporter can state (src/domain/regimes.ts REGIME_FACTS, in the order the form offers them). */
export const FACTS = [
  'cyber_attack',
  'personal_data',
  'service_outage',
  'secrecy_of_communications',
  'significant_incident',
  'major_incident',
] as const;
export type Fact = (typeof FACTS)[number];

export function obligationsQuery(id: number) {
  return {
    queryKey: ['obligations', id] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<ObligationsView>(`/incidents/${id}/obligations`, { signal }),
  };
}

export function previewQuery(body: PreviewBody) {
  return {
    queryKey: ['obligations-preview', body] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<Preview>('/obligations/preview', { method: 'POST', body, signal }),
  };
}

export function deadlinesQuery(sector: string) {
  const q = sector ? `?sector=${encodeURIComponent(sector)}` : '';
  return {
    queryKey: ['deadlines', sector] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<Deadlines>(`/obligations/deadlines${q}`, { signal }),
  };
}

export const saveFacts = (id: number, body: FactsBody) =>
  api<ObligationsView>(`/incidents/${id}/obligations/facts`, { method: 'PUT', body });
export const decide = (
  id: number,
  code: string,
  body: Partial<DecisionBody> & Pick<DecisionBody, 'status'>,
) => api<ObligationsView>(`/incidents/${id}/obligations/${code}`, { method: 'PUT', body });
export const recordStage = (id: number, code: string, stage: string, body: StageBody) =>
  api<ObligationsView>(`/incidents/${id}/obligations/${code}/stages/${stage}`, { method: 'PUT', body });

export const exportUrl = (
  id: number,
  code: string,
  stage: string,
  format: 'xlsx' | 'csv' | 'json',
  lang: string,
) => `/api/v1/incidents/${id}/obligations/${code}/stages/${stage}/export?format=${format}&lang=${lang}`;

/** After a change of duties: the incident's, the overdue view's. */
export function afterDutyChange(client: QueryClient, saved: ObligationsView): void {
  client.setQueryData(['obligations', saved.incident_id], saved);
  void client.invalidateQueries({ queryKey: ['deadlines'] });
}

/** A new report's duties: its facts, then each kept regime confirmed. */
export async function recordDuties(id: number, facts: Fact[], regimes: string[]): Promise<void> {
  if (facts.length > 0) await saveFacts(id, { facts });
  for (const code of regimes) await decide(id, code, { status: 'confirmed' });
}
