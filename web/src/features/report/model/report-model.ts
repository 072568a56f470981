import { ApiError } from '../../../shared/api/client';
import type { Tlp } from '../../../shared/api/types';
import { findForbiddenCharacter } from '../../../../../src/domain/text-rules.js';
import { zone } from '../../../shared/format/dates';
import type { HeldTimes } from './report-rules';
import { missingProblem, requiredFields, timeProblem } from './report-rules';

/**
 * The report form's state, its rules (the server's own: src/domain/report-line.ts and the stage
 * report schema), its draft in localStorage and the received time in the deployment's time zone.
 */

export type ReportMode = 'new' | 'stage';

export interface ReportDraft {
  /** `YYYY-MM-DDTHH:mm` in the deployment's time zone (a datetime-local input's value). */
  received_at: string;
  /** When the incident happened and was detected: datetime-local values too, '' when not given. */
  occurred_at: string;
  detected_at: string;
  organization: string;
  sector: string;
  title: string;
  description: string;
  stage: 'update' | 'final';
  event: string;
  causes: string[];
  /** '' = not caused by a cyber attack (null in the API). */
  attack_type: string;
  tlp: Tlp;
}

export type FieldName = keyof ReportDraft;
export interface FieldProblem {
  code: string;
  max?: number;
  /** A refused character: its 1-based position and code point (U+202E). */
  position?: number;
  codePoint?: string;
}
export type Problems = Partial<Record<FieldName, FieldProblem>>;

export const TITLE_MAX = 500;
export const DESCRIPTION_MAX = 20_000;
export const ORGANIZATION_MAX = 200;

/**
 * The characters a field may hold: the server's own rule (src/domain/text-rules.ts), so the form
 * refuses exactly what the server would. Line breaks only in the description.
 */
function characterProblem(text: string, multiline: boolean): FieldProblem | undefined {
  const found = findForbiddenCharacter(text.normalize('NFC'), multiline);
  if (!found) return undefined;
  if (found.code === 'forbidden_character')
    return { code: found.code, position: found.position, codePoint: found.codePoint };
  return { code: multiline ? 'control_character' : 'control_character_line' };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Now, as a datetime-local value in the deployment's time zone. */
export function nowLocalInput(now = new Date()): string {
  const p = zone.local(now);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * A datetime-local value (deployment time zone) as ISO 8601 with its offset, e.g.
 * 2026-11-28T09:30:00+09:00; null when it is no real date and time.
 */
export function localInputToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59)
    return null;
  const instant = zone.instantOf(year, month, day, hour, minute);
  const offset = Math.round(zone.offsetAt(instant.getTime()) / 60_000);
  // In a gap (spring forward) the wall clock the instant shows, not the one typed.
  const p = zone.local(instant);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:00` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

export function emptyDraft(): ReportDraft {
  return {
    received_at: nowLocalInput(),
    occurred_at: '',
    detected_at: '',
    organization: '',
    sector: '',
    title: '',
    description: '',
    stage: 'update',
    event: '',
    causes: [],
    attack_type: '',
    tlp: 'AMBER',
  };
}

function lengthOf(text: string): number {
  return text.normalize('NFC').length;
}

function textProblem(text: string, max: number, multiline: boolean): FieldProblem | undefined {
  return lengthOf(text) > max ? { code: 'too_long', max } : characterProblem(text, multiline);
}

const blank = (value: string | string[]) => (Array.isArray(value) ? value.length === 0 : value.trim() === '');

/**
 * The server's rules, checked as the user types; `needsOrganization` when the center reports;
 * `held`: what the incident already says (a stage report).
 */
export function validate(
  draft: ReportDraft,
  mode: ReportMode,
  needsOrganization: boolean,
  held?: HeldTimes,
): Problems {
  const problems: Problems = {};
  for (const name of requiredFields(mode, needsOrganization))
    if (blank(draft[name])) problems[name] = missingProblem(name);
  if (draft.received_at && !localInputToIso(draft.received_at))
    problems.received_at = { code: 'invalid_time' };
  for (const name of ['occurred_at', 'detected_at'] as const)
    if (draft[name] && !localInputToIso(draft[name])) problems[name] = { code: 'invalid_time' };
  const times = timeProblem(
    {
      occurred_at: localInputToIso(draft.occurred_at),
      detected_at: localInputToIso(draft.detected_at),
      received_at: localInputToIso(draft.received_at),
    },
    held,
  );
  if (times && !problems[times.field]) problems[times.field] = times.problem;
  // A required field left empty says so above; what is typed must fit and hold allowed characters.
  if (mode === 'new' && needsOrganization)
    problems.organization ??= textProblem(draft.organization, ORGANIZATION_MAX, false);
  problems.title ??= textProblem(draft.title, TITLE_MAX, false);
  problems.description ??= textProblem(draft.description, DESCRIPTION_MAX, true);
  for (const name of Object.keys(problems) as FieldName[]) if (!problems[name]) delete problems[name];
  return problems;
}

/** The request body: a report line for a new incident, a stage report for an existing one. */
export function requestBody(draft: ReportDraft, mode: ReportMode, needsOrganization: boolean) {
  const received_at = localInputToIso(draft.received_at);
  // Sent only when given: a report that says nothing of them keeps what the incident holds.
  const times = {
    ...(draft.occurred_at ? { occurred_at: localInputToIso(draft.occurred_at) } : {}),
    ...(draft.detected_at ? { detected_at: localInputToIso(draft.detected_at) } : {}),
  };
  const classification = {
    event: draft.event,
    causes: draft.causes,
    attack_type: draft.attack_type || null,
  };
  if (mode === 'stage') {
    return {
      stage: draft.stage,
      received_at,
      ...times,
      ...(draft.title ? { title: draft.title } : {}),
      description: draft.description,
      ...(draft.sector ? { sector: draft.sector } : {}),
      ...classification,
    };
  }
  return {
    channel: 'operator_report',
    received_at,
    ...times,
    ...(needsOrganization ? { organization: draft.organization } : {}),
    sector: draft.sector,
    title: draft.title,
    description: draft.description,
    stage: 'initial',
    ...classification,
    tlp: draft.tlp,
  };
}

const FIELDS = Object.keys(emptyDraft()) as readonly FieldName[];

/** The field errors of a 400 answer (`body.causes.0` -> causes); the rest stay a general error. */
export function serverProblems(error: unknown): Problems {
  const problems: Problems = {};
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return problems;
  for (const detail of error.details as Array<{
    field?: unknown;
    code?: unknown;
    position?: unknown;
    code_point?: unknown;
  }>) {
    if (typeof detail.field !== 'string' || typeof detail.code !== 'string') continue;
    const name = detail.field.replace(/^body\./, '').split('.')[0] as FieldName;
    if (FIELDS.includes(name) && !problems[name]) {
      const max = name === 'title' ? TITLE_MAX : name === 'description' ? DESCRIPTION_MAX : ORGANIZATION_MAX;
      problems[name] = {
        code: detail.code,
        max,
        ...(typeof detail.position === 'number' ? { position: detail.position } : {}),
        ...(typeof detail.code_point === 'string' ? { codePoint: detail.code_point } : {}),
      };
    }
  }
  return problems;
}

// Drafts: per user (a shared computer) and per target (a new incident, or incident N).
const draftKey = (user: string, target: string) => `kyoyu.report-draft:${user}:${target}`;

export function loadDraft(user: string, target: string): ReportDraft | null {
  try {
    const text = localStorage.getItem(draftKey(user, target));
    if (!text) return null;
    const parsed = JSON.parse(text) as Partial<ReportDraft>;
    const base = emptyDraft();
    return {
      ...base,
      ...parsed,
      causes: Array.isArray(parsed.causes) ? parsed.causes.filter((c) => typeof c === 'string') : [],
    };
  } catch {
    return null;
  }
}

export function saveDraft(user: string, target: string, draft: ReportDraft): void {
  try {
    localStorage.setItem(draftKey(user, target), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the form still works, without a draft.
  }
}

export function clearDraft(user: string, target: string): void {
  try {
    localStorage.removeItem(draftKey(user, target));
  } catch {
    // As above.
  }
}

/**
 * Removes every report draft of the user (new incidents and stage reports alike): a draft holds
 * what was typed about an incident, and after sign-out the next person at the computer must not
 * find it.
 */
export function clearDraftsOf(user: string): void {
  try {
    const prefix = draftKey(user, '');
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    for (const key of keys) localStorage.removeItem(key);
  } catch {
    // As above.
  }
}
