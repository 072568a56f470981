import { hash } from 'node:crypto';
import { normalIndicators } from '../../domain/indicator-input.js';
import type { ReportLine } from '../../domain/report-line.js';
import { parseInstant } from '../../domain/report-line.js';

/**
 * The identity of a report's content: the same report sent twice (a re-import, a retried POST) has
 * the same fingerprint and is stored once. The instant, not its spelling, is part of it, so
 * 2023-03-31T15:00:00Z and 2023-04-01T00:00:00+09:00 are one report.
 */
export function fingerprintOf(line: ReportLine, receivedAtMs: number): string {
  const fields: unknown[] = [
    line.channel,
    receivedAtMs,
    line.organization ?? null,
    line.sector ?? null,
    line.title,
    line.description,
    line.stage ?? null,
    line.event ?? null,
    line.causes ? [...line.causes].sort() : null,
    line.attack_type ?? null,
  ];
  // Appended only when given, so the fingerprints of reports without a marking stay what they were.
  if (line.tlp !== undefined) fields.push(line.tlp);
  // Likewise the incident's own times, as instants: a report that only corrects them is new.
  if (line.occurred_at !== undefined || line.detected_at !== undefined)
    fields.push(['times', instantOrText(line.occurred_at), instantOrText(line.detected_at)]);
  // And the indicators, in normal form: a report that adds only indicators is new.
  if (line.indicators && line.indicators.length > 0)
    fields.push(['indicators', normalIndicators(line.indicators).map((i) => [i.type, i.value, i.tlp])]);
  const canonical = JSON.stringify(fields);
  return hash('sha256', canonical, 'base64url').slice(0, 32);
}

function instantOrText(text: string | undefined): number | string | null {
  if (text === undefined) return null;
  const parsed = parseInstant(text);
  return parsed.ok ? parsed.epochMs : text;
}

export const joinCodes = (codes: readonly string[] | null | undefined): string | null =>
  codes && codes.length > 0 ? codes.join(';') : null;

export const splitCodes = (text: string | null): string[] => (text ? text.split(';') : []);
