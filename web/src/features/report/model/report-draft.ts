import { useState } from 'react';
import type { Incident } from '../../../shared/api/types';
import type { FieldName, FieldProblem, Problems, ReportDraft, ReportMode } from './report-model';
import { clearDraft, emptyDraft, loadDraft, saveDraft, validate } from './report-model';

/**
 * The report form's draft: its values (kept in localStorage as they are typed), which fields were
 * touched, the problems the server found and the problems as of the last submit.
 */

function initialDraft(mode: ReportMode, incident?: Incident, fixedSector?: string): ReportDraft {
  const draft = emptyDraft();
  // The organisation's one sector: a new report is filed under it (a stage report keeps the incident's).
  if (mode === 'new' && fixedSector) draft.sector = fixedSector;
  const known = incident?.reporter_classification;
  if (mode === 'stage' && known) {
    draft.event = known.event;
    draft.causes = [...known.causes];
    draft.attack_type = known.attack_type ?? '';
  }
  return draft;
}

function allTouched(): Partial<Record<FieldName, boolean>> {
  return {
    received_at: true,
    occurred_at: true,
    detected_at: true,
    organization: true,
    sector: true,
    title: true,
    description: true,
  };
}

export interface DraftOptions {
  mode: ReportMode;
  incident: Incident | undefined;
  /** The signed-in user's email; a draft is kept per user and target. */
  user: string;
  target: string;
  needsOrganization: boolean;
  /** The organisation's one sector, when it has exactly one: not the user's to choose. */
  fixedSector?: string;
}

export function useReportDraft({
  mode,
  incident,
  user,
  target,
  needsOrganization,
  fixedSector,
}: DraftOptions) {
  const [restored] = useState(() => loadDraft(user, target));
  const [draft, setDraft] = useState<ReportDraft>(() => {
    if (!restored) return initialDraft(mode, incident, fixedSector);
    // A draft kept from before cannot move the report to another sector than the fixed one.
    if (fixedSector) return { ...restored, sector: mode === 'new' ? fixedSector : '' };
    return restored;
  });
  const [showRestored, setShowRestored] = useState(restored !== null);
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>(() =>
    restored ? allTouched() : {},
  );
  const [fromServer, setFromServer] = useState<Problems>({});
  const [attempted, setAttempted] = useState(false);
  /** The problems as of the last submit (the fields themselves follow the typing). */
  const [summary, setSummary] = useState<Problems>({});

  const problems: Problems = { ...validate(draft, mode, needsOrganization, incident), ...fromServer };
  const shown = (name: FieldName): FieldProblem | undefined =>
    attempted || touched[name] ? problems[name] : undefined;

  const touch = (name: FieldName) => setTouched((c) => (c[name] ? c : { ...c, [name]: true }));

  const change = <K extends FieldName>(name: K, value: ReportDraft[K]) => {
    setDraft((current) => {
      const next = { ...current, [name]: value };
      saveDraft(user, target, next);
      return next;
    });
    touch(name);
    setFromServer((current) => {
      if (!current[name]) return current;
      const rest = { ...current };
      delete rest[name];
      return rest;
    });
  };

  const discard = () => {
    clearDraft(user, target);
    setDraft(initialDraft(mode, incident, fixedSector));
    setTouched({});
    setFromServer({});
    setAttempted(false);
    setSummary({});
    setShowRestored(false);
  };

  /** A submit's outcome: the problems it found (locally or from the server) become the summary. */
  const found = (problems: Problems, server = false) => {
    if (server) setFromServer(problems);
    setSummary(problems);
    if (!server || Object.keys(problems).length > 0) setAttempted(true);
  };

  return { draft, showRestored, summary, shown, change, touch, discard, found };
}
