import { api } from '../../../shared/api/client';
import type {
  Adopted,
  IndicatorList,
  SuggestionList,
} from '../../../../../src/modules/indicators/indicator.schema.js';
import type { IndicatorInput } from '../../../../../src/domain/indicator-input.js';

export type { IndicatorView, Suggestion } from '../../../../../src/modules/indicators/indicator.schema.js';

export const indicatorsQuery = (id: number) => ({
  queryKey: ['incident', id, 'indicators'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api<IndicatorList>(`/incidents/${id}/indicators`, { signal }),
});

export const suggestedQuery = (id: number) => ({
  queryKey: ['incident', id, 'indicators', 'suggested'] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api<SuggestionList>(`/incidents/${id}/indicators/suggested`, { signal }),
});

export const adoptIndicators = (id: number, indicators: IndicatorInput[]) =>
  api<Adopted>(`/incidents/${id}/indicators`, { method: 'POST', body: { indicators } });
