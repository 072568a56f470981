import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client';
import type { RegimeFact } from '../../../../../src/domain/regimes.js';
import { REGIME_FACTS } from '../../../../../src/domain/regimes.js';
import type {
  Deadlines,
  DecisionBody,
  FactsBody,
  ObligationsView,
  Preview,
  RegimeDuty,
  StageBody,
  StageView,
} from '../../../../../src/modules/obligations/obligation.schema.js';

/** The answers of the reporting duties' routes (src/modules/obligations/obligation.schema.ts). */
export type { Deadlines, ObligationsView, Preview, RegimeDuty, StageView };

/** The facts a reporter states: all but a ransom paid, which its time says (src/domain/regimes.ts). */
export const FACTS = REGIME_FACTS.filter((f) => f !== 'ransom_paid');
export type Fact = RegimeFact;

export function obligationsQuery(id: number) {
  return {
    queryKey: ['obligations', id] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<ObligationsView>(`/incidents/${id}/obligations`, { signal }),
  };
}

export function previewQuery(input: {
  sector?: string;
  organization?: string;
  facts: readonly string[];
  occurred_at?: string;
  detected_at?: string;
}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(input))
    if (v !== undefined && v !== '') q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  return {
    queryKey: ['obligations-preview', q.toString()] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api<Preview>(`/obligations/preview?${q.toString()}`, { signal }),
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
