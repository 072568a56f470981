import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useRef } from 'react';
import { api } from '../../../shared/api/client';
import type { Incident } from '../../../shared/api/types';
import type { IndicatorInput } from '../../../../../src/domain/indicator-input.js';
import { focusField } from '../components/report-field';
import type { FieldName, Problems, ReportDraft, ReportMode } from '../model/report-model';
import { randomUuid } from '../../../shared/api/idempotent';
import { clearDraft, requestBody, serverProblems, validate } from '../model/report-model';

/**
 * The report form's submit: local validation first, then the POST with one idempotency key per
 * attempt (and If-Match for a stage report), guarded against a double click.
 */

export interface SubmitOptions {
  mode: ReportMode;
  incident: Incident | undefined;
  user: string;
  target: string;
  needsOrganization: boolean;
  draft: ReportDraft;
  /** The indicator rows as the request sends them, and whether each passes its type's check. */
  indicators?: { inputs: IndicatorInput[]; valid: boolean };
  /** Told the problems a submit found: locally (server false) or in the server's answer. */
  found: (problems: Problems, server?: boolean) => void;
  onDone: (incident: Incident) => void;
}

export function useReportSubmit(options: SubmitOptions) {
  const { mode, incident, user, target, needsOrganization, draft, found, onDone, indicators } = options;
  const client = useQueryClient();
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const inFlight = useRef(false);
  // The version this form reports onto (If-Match); our own stage report moves it on.
  const version = useRef(incident?.version);

  const submit = useMutation({
    mutationFn: async (body: object) => {
      // One key per attempt; the very same request sent again (an answer lost) reuses it.
      const text = JSON.stringify(body);
      if (attempt.current?.body !== text) attempt.current = { body: text, key: randomUuid() };
      const headers: Record<string, string> = { 'idempotency-key': attempt.current.key };
      if (incident) headers['if-match'] = `"v${version.current ?? incident.version}"`;
      const path = incident ? `/incidents/${incident.id}/reports` : '/incidents';
      return api<Incident>(path, { method: 'POST', body, headers });
    },
    onSuccess: (answer) => {
      clearDraft(user, target);
      attempt.current = null;
      version.current = answer.version;
      void client.invalidateQueries({ queryKey: ['incident', answer.id] });
      void client.invalidateQueries({ queryKey: ['incidents'] });
      onDone(answer);
    },
    onSettled: () => {
      inFlight.current = false;
    },
    onError: (error) => {
      found(serverProblems(error), true);
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // A double click: the second one finds the first still on its way.
    if (inFlight.current) return;
    const local = validate(draft, mode, needsOrganization, incident);
    found(local);
    const first = Object.keys(local)[0] as FieldName | undefined;
    if (first) {
      focusField(first);
      return;
    }
    // A refused indicator shows its message beside it; the first one is focused.
    if (indicators && !indicators.valid) {
      document.querySelector<HTMLInputElement>('.indicator-row input[aria-invalid="true"]')?.focus();
      return;
    }
    inFlight.current = true;
    const body = requestBody(draft, mode, needsOrganization);
    submit.mutate(indicators?.inputs.length ? { ...body, indicators: indicators.inputs } : body);
  };

  /** An error the fields do not show (no problem with any one field), for under the form. */
  const generalError =
    submit.error && Object.keys(serverProblems(submit.error)).length === 0 ? submit.error : null;

  return { onSubmit, pending: submit.isPending, generalError };
}
