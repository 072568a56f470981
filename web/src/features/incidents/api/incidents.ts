import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client';
import type { Incident } from '../../../shared/api/types';

/** The audit trail's answers (src/modules/audit/audit.schema.ts). */
export type { AuditEntry, AuditPage } from '../../../../../src/modules/audit/audit.schema.js';

/** One incident with its stage reports: the incident page, the stage report form and the classify page share it. */
export function incidentQuery(id: number | null) {
  return {
    queryKey: ['incident', id] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) => api<Incident>(`/incidents/${id}`, { signal }),
  };
}

/**
 * After the center's decision on an incident (a classification, a lifecycle change): the lists,
 * the review queue, the audit trail and every figure it may have moved are read again.
 */
export function invalidateAfterDecision(client: QueryClient): void {
  for (const key of ['stats', 'sectors', 'review-queue', 'incidents', 'audit'])
    void client.invalidateQueries({ queryKey: [key] });
}
