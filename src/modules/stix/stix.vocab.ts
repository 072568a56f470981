import type { StixIncidentInput } from './stix.types.js';

/*
 * kyoyu's taxonomy in STIX vocabularies. Sources:
 * - industry-sector-ov: STIX 2.1 §10.12 (open vocabulary; a sector without a fitting value keeps
 *   kyoyu's own code, which an open vocabulary allows);
 * - the Incident Core Extension 2.0 (cti-stix-common-objects, extension-definition-specifications/
 *   incident-core, "Incident Extension Suite.adoc" and
 *   extension-definition--ef765651-680c-498d-9894-99799f2fa126.json): `determination` from
 *   incident-determination-enum (blocked, failed-attempt, false-positive, low-value,
 *   successful-attempt, suspected; "SHOULD be suspected until enough information is available"),
 *   `investigation_status` from incident-investigation-ov (new, open, closed), `incident_types`
 *   SHOULD come from event-type-ov (§4.4 of the suite).
 */

/** Japan's critical-infrastructure sectors (data/taxonomy-jp-action-plan.json) in industry-sector-ov. */
const SECTORS: Record<string, string[]> = {
  information_communication: ['communications', 'telecommunications'],
  finance: ['financial-services'],
  aviation: ['transportation'],
  airport: ['transportation'],
  railway: ['transportation'],
  electricity: ['energy', 'utilities'],
  gas: ['energy', 'utilities'],
  government: ['government'],
  medical: ['healthcare'],
  water: ['infrastructure-water'],
  logistics: ['transportation'],
  chemical: ['chemical'],
  credit: ['financial-services'],
  petroleum: ['energy'],
  port: ['transportation'],
};

/** industry-sector-ov values of a sector; its own code where none fits (an open vocabulary). */
export const industrySectors = (code: string): string[] => SECTORS[code] ?? [code.replace(/[_.]/g, '-')];

/** Events (what happened) in event-type-ov. */
const EVENT_TYPES: Record<string, string> = {
  'not_occurred.precursor': 'blocked',
  'confidentiality.leak': 'unauthorized-release',
  'integrity.destruction': 'destruction',
  'availability.disruption': 'denial-of-service',
  'leading.malware_infection': 'infected-by-known-malware',
  'leading.malicious_code': 'compromised-system',
  'leading.intrusion': 'unauthorized-access-system',
  other: 'unspecified',
};
/** Cyber-attack types in event-type-ov; "other" says nothing more than the event. */
const ATTACK_TYPES: Record<string, string | null> = {
  ransomware: 'ransomware',
  malware_other: 'infected-by-known-malware',
  ddos: 'packet-flood',
  other: null,
};

const ownCode = (code: string) => code.replace(/[_.]/g, '-');

/** incident_types: the event's and the attack type's, each once, in that order. */
export function incidentTypes(c: StixIncidentInput['classification']): string[] {
  if (!c) return [];
  const types = [EVENT_TYPES[c.event] ?? ownCode(c.event)];
  const attack = c.attack_type === null ? null : (ATTACK_TYPES[c.attack_type] ?? ownCode(c.attack_type));
  if (attack && !types.includes(attack)) types.push(attack);
  return types;
}

/**
 * determination: a rejected record was no incident (false-positive); a precursor that did not
 * occur failed; what the center classified happened; what only the reporter said, or nothing yet,
 * stays suspected (the extension's own default).
 */
export function determinationOf(i: StixIncidentInput): string {
  if (i.state === 'rejected') return 'false-positive';
  const c = i.classification;
  if (!c) return 'suspected';
  if (c.event.startsWith('not_occurred')) return 'failed-attempt';
  if (c.by === 'center' && c.event !== 'other') return 'successful-attempt';
  return 'suspected';
}

/**
 * investigation_status from the stage: a first report is new, later reports are the work in
 * progress, a final report (or a record withdrawn or rejected) closes it.
 */
export function investigationStatusOf(i: StixIncidentInput): string {
  if (i.final_received_at !== null || i.stage === 'final' || i.state !== 'received') return 'closed';
  if (i.stage === 'update') return 'open';
  return 'new';
}

/** The C/I/A category an event group affects (the Impact object's impact_category), if any. */
export function impactCategoryOf(event: string): 'confidentiality' | 'integrity' | 'availability' | null {
  const group = event.split('.')[0];
  return group === 'confidentiality' || group === 'integrity' || group === 'availability' ? group : null;
}
