/**
 * A STIX 2.1 rule checker for tests: a test oracle written apart from src/modules/stix (its own
 * pattern parser, its own copy of the official ids), so an exporter's mistake is not shared by the
 * check. `stixProblems(bundle)` lists every rule a bundle breaks; [] means it keeps them all.
 *
 * Sources: STIX 2.1 OASIS Standard (2021-06-10) §2.3 timestamps, §2.9 identifiers, §3.2 common
 * properties, §4-§5 SDOs and SROs, §7.2 markings, §8 bundle, §9 patterning; the TLP 2.0 extension
 * and the Incident Core Extension 2.0 with its Impact SDO (oasis-open/cti-stix-common-objects,
 * extension-definition-specifications/tlp-2.0 and incident-core).
 */

import { patternProblem } from './stix-pattern-rules.js';

export { patternProblem };

const OFFICIAL_TLP: Record<string, string> = {
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'clear',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'green',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'amber',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'amber+strict',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'red',
};
/**
 * The TLP 1.0 markings STIX 2.1 predefines (§7.2.1.4): a reference to one resolves without the
 * object. TLP 2.0's are not predefined: a bundle that references one carries it.
 */
const PREDEFINED_TLP_1 = new Set([
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
]);
const TLP_EXT = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const INCIDENT_EXT = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';
const IMPACT_EXT = 'extension-definition--7cc33dd6-f6a1-489b-98ea-522d351d71b9';

const ID =
  /^([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIME_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const TIME_PROPS = ['valid_from', 'valid_until', 'published', 'start_time', 'end_time', 'object_modified'];

const REQUIRED: Record<string, string[]> = {
  identity: ['name'],
  incident: ['name'],
  impact: ['impact_category', 'extensions'],
  indicator: ['pattern', 'pattern_type', 'valid_from'],
  report: ['name', 'published', 'object_refs'],
  vulnerability: ['name'],
  'course-of-action': ['name'],
  'attack-pattern': ['name'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'],
  'marking-definition': ['name', 'extensions'],
  'language-content': ['object_ref', 'contents'],
};
const SCO = new Set(['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'file']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max = Infinity) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

// ---- the extensions' properties ----
function incidentExtension(ext: Json, ids: Set<string>, where: string, problems: string[]): void {
  if (ext.extension_type !== 'property-extension') problems.push(`${where}: extension_type`);
  const determinations = [
    'blocked',
    'failed-attempt',
    'false-positive',
    'low-value',
    'successful-attempt',
    'suspected',
  ];
  if (!determinations.includes(ext.determination as string)) problems.push(`${where}: determination`);
  if (!['new', 'open', 'closed'].includes(ext.investigation_status as string))
    problems.push(`${where}: investigation_status`);
  const types = ext.incident_types;
  if (
    types !== undefined &&
    (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string'))
  )
    problems.push(`${where}: incident_types`);
  const counts = ext.impacted_entity_counts;
  if (
    counts !== undefined &&
    (!isObject(counts) || !Object.entries(counts).every(([k, v]) => /^[a-z-]+$/.test(k) && isInt(v, 0)))
  )
    problems.push(`${where}: impacted_entity_counts`);
  const impacts = ext.impact_refs;
  if (
    impacts !== undefined &&
    (!Array.isArray(impacts) ||
      impacts.length === 0 ||
      !impacts.every((r) => typeof r === 'string' && r.startsWith('impact--') && ids.has(r)))
  )
    problems.push(`${where}: impact_refs`);
  if (ext.criticality !== undefined && !isInt(ext.criticality, 0, 100))
    problems.push(`${where}: criticality`);
  const known = [
    'extension_type',
    'determination',
    'investigation_status',
    'incident_types',
    'impacted_entity_counts',
    'impact_refs',
    'criticality',
    'recoverability',
    'detection_methods',
    'scores',
    'events',
    'tasks',
  ];
  for (const k of Object.keys(ext)) if (!known.includes(k)) problems.push(`${where}: unknown property ${k}`);
}

function impactObject(o: Json, where: string, problems: string[]): void {
  const ext = o.extensions as Json;
  const own = ext[IMPACT_EXT];
  if (!isObject(own) || own.extension_type !== 'new-sdo')
    problems.push(`${where}: the Impact extension (new-sdo)`);
  const category = o.impact_category as string;
  const detail = ext[category];
  if (!isObject(detail))
    return void problems.push(`${where}: no extension named as impact_category ${category}`);
  if (category === 'availability' && !isInt(detail.availability_impact, 0, 100))
    problems.push(`${where}: availability_impact`);
  if (category === 'confidentiality') {
    const loss = ['confirmed-loss', 'contained', 'exploited-loss', 'suspected-loss', 'none'];
    if (!loss.includes(detail.loss_type as string)) problems.push(`${where}: loss_type`);
    if (detail.loss_type !== 'none' && typeof detail.information_type !== 'string')
      problems.push(`${where}: information_type`);
  }
  if (category === 'integrity') {
    const alterations = [
      'potential-destruction',
      'potential-modification',
      'partial-destruction',
      'partial-modification',
      'full-destruction',
      'full-modification',
      'none',
    ];
    if (!alterations.includes(detail.alteration as string)) problems.push(`${where}: alteration`);
    if (detail.alteration !== 'none' && typeof detail.information_type !== 'string')
      problems.push(`${where}: information_type`);
  }
  const counts = o.impacted_entity_counts;
  if (counts !== undefined && (!isObject(counts) || !Object.values(counts).every((v) => isInt(v, 0))))
    problems.push(`${where}: impacted_entity_counts`);
}

function tlpMarking(o: Json, where: string, problems: string[]): void {
  const level = OFFICIAL_TLP[o.id as string];
  if (!level) return;
  const expected = {
    type: 'marking-definition',
    spec_version: '2.1',
    id: o.id,
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP_EXT]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
  if (JSON.stringify(sortKeys(o)) !== JSON.stringify(sortKeys(expected)))
    problems.push(`${where}: not the official TLP 2.0 marking definition`);
}
const sortKeys = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sortKeys)
    : isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sortKeys(v[k])]),
        )
      : v;

/** Every `*_ref`/`*_refs` at any depth, with where it was found. */
function references(value: unknown, path: string, out: Array<[string, unknown]>): void {
  if (Array.isArray(value)) value.forEach((v, n) => references(v, `${path}[${n}]`, out));
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('_ref')) out.push([`${path}.${k}`, v]);
      else if (k.endsWith('_refs') && Array.isArray(v))
        v.forEach((r, n) => out.push([`${path}.${k}[${n}]`, r]));
      else if (k.endsWith('_refs')) out.push([`${path}.${k}`, v]);
      else references(v, `${path}.${k}`, out);
    }
}

/** Every STIX 2.1 rule `bundle` breaks (empty: none). */
export function stixProblems(bundle: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(bundle) || bundle.type !== 'bundle') return ['not a bundle'];
  if (typeof bundle.id !== 'string' || !ID.test(bundle.id) || !bundle.id.startsWith('bundle--'))
    problems.push('bundle id');
  if ('spec_version' in bundle) problems.push('bundle: spec_version is not a bundle property in 2.1');
  if (!Array.isArray(bundle.objects)) return [...problems, 'bundle: objects'];
  const objects = bundle.objects as unknown[];
  const ids = new Set(objects.filter(isObject).map((o) => o.id as string));
  for (const [n, value] of objects.entries()) {
    if (!isObject(value)) {
      problems.push(`objects[${n}]: not an object`);
      continue;
    }
    const o = value;
    const where = typeof o.id === 'string' ? o.id : `objects[${n}]`;
    const m = typeof o.id === 'string' ? ID.exec(o.id) : null;
    if (!m || m[1] !== o.type) problems.push(`${where}: id is not <type>--<UUID v4 or v5>`);
    if (o.spec_version !== '2.1') problems.push(`${where}: spec_version`);
    const sco = SCO.has(o.type as string);
    if (!sco) {
      if (typeof o.created !== 'string' || !TIME_MS.test(o.created)) problems.push(`${where}: created`);
      if (o.type !== 'marking-definition') {
        if (typeof o.modified !== 'string' || !TIME_MS.test(o.modified)) problems.push(`${where}: modified`);
        else if (typeof o.created === 'string' && o.modified < o.created)
          problems.push(`${where}: modified before created`);
      }
    }
    for (const p of TIME_PROPS)
      if (o[p] !== undefined && (typeof o[p] !== 'string' || !TIME.test(o[p])))
        problems.push(`${where}: ${p}`);
    for (const p of Object.hasOwn(REQUIRED, o.type as string) ? REQUIRED[o.type as string]! : [])
      if (o[p] === undefined || o[p] === '' || (Array.isArray(o[p]) && (o[p] as unknown[]).length === 0))
        problems.push(`${where}: ${p} required`);
    if (o.type === 'indicator' && o.pattern_type === 'stix') {
      const why = typeof o.pattern === 'string' ? patternProblem(o.pattern) : 'not a string';
      if (why) problems.push(`${where}: pattern: ${why}`);
    }
    if (o.type === 'impact' && isObject(o.extensions)) impactObject(o, where, problems);
    if (o.type === 'marking-definition') tlpMarking(o, where, problems);
    if (isObject(o.extensions))
      for (const [key, ext] of Object.entries(o.extensions)) {
        if (key.startsWith('extension-definition--') && !ID.test(key))
          problems.push(`${where}: extension id ${key}`);
        if (key === INCIDENT_EXT) {
          if (o.type !== 'incident') problems.push(`${where}: incident core extension on ${String(o.type)}`);
          else if (isObject(ext)) incidentExtension(ext, ids, where, problems);
          else problems.push(`${where}: incident core extension`);
        }
      }
    const refs: Array<[string, unknown]> = [];
    references(o, where, refs);
    for (const [path, ref] of refs)
      if (typeof ref !== 'string' || (!ids.has(ref) && !PREDEFINED_TLP_1.has(ref)))
        problems.push(`${path}: ${String(ref)} does not resolve`);
    for (const ref of (o.object_marking_refs as unknown[] | undefined) ?? [])
      if (typeof ref !== 'string' || !ref.startsWith('marking-definition--'))
        problems.push(`${where}: marking ${String(ref)}`);
  }
  if (ids.size !== objects.length) problems.push('bundle: an id appears twice');
  return problems;
}
