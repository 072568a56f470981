import { checkStixPattern } from './stix.pattern.js';
import type { StixObject } from './stix.types.js';

/*
 * The rules an incoming object must keep to be stored (STIX 2.1, OASIS Standard 2021-06-10):
 * - §2.9 identifier `<type>--<RFC 4122 UUID>`, its type the object's own;
 * - §3.1 type: 3-250 characters of a-z, 0-9 and "-", neither first nor last a hyphen;
 * - §3.2 spec_version "2.1"; SDOs and SROs carry created and modified, modified >= created;
 *   a marking definition carries created; SCOs (§6) carry neither;
 * - §2.3 timestamps: RFC 3339, UTC, "Z";
 * - per type the required properties of §4 (SDOs), §5 (SROs), §7 (markings, language content);
 * - an Indicator's pattern parses when its pattern_type is "stix" (§9);
 * - every `*_ref` and `*_refs` property holds identifiers (§3.1 "reference" properties).
 * Objects arrive one at a time over TAXII, so references are not required to resolve here.
 */

const TYPE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;

/** The Cyber-observable Objects of §6: versionless (no created, modified). */
export const SCO_TYPES: ReadonlySet<string> = new Set(
  'artifact autonomous-system directory domain-name email-addr email-message file ipv4-addr ipv6-addr mac-addr mutex network-traffic process software url user-account windows-registry-key x509-certificate'.split(
    ' ',
  ),
);

/** Required properties beyond the common ones, per type (§4, §5, §7). */
const REQUIRED: Record<string, readonly string[]> = {
  'attack-pattern': ['name'],
  campaign: ['name'],
  'course-of-action': ['name'],
  grouping: ['context', 'object_refs'],
  identity: ['name'],
  incident: ['name'],
  indicator: ['pattern', 'pattern_type', 'valid_from'],
  infrastructure: ['name'],
  'intrusion-set': ['name'],
  malware: ['is_family'],
  'malware-analysis': ['product'],
  note: ['content', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed'],
  opinion: ['opinion', 'object_refs'],
  report: ['name', 'published', 'object_refs'],
  'threat-actor': ['name'],
  tool: ['name'],
  vulnerability: ['name'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'],
  sighting: ['sighting_of_ref'],
  'language-content': ['object_ref', 'contents'],
  'extension-definition': ['name', 'schema', 'version', 'extension_types', 'created_by_ref'],
};
/** Timestamp properties per type, beyond created and modified. */
const TIMESTAMPS = [
  'valid_from',
  'valid_until',
  'published',
  'first_seen',
  'last_seen',
  'first_observed',
  'last_observed',
];

export const isStixId = (value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  const at = value.indexOf('--');
  return at > 0 && TYPE.test(value.slice(0, at)) && UUID.test(value.slice(at + 2));
};
export const isStixTimestamp = (value: unknown): boolean =>
  typeof value === 'string' && TIMESTAMP.test(value) && Number.isFinite(Date.parse(value));

/** The object as a STIX object, or why it is not one (the first rule it breaks, in English). */
export function checkStixObject(
  value: unknown,
): { ok: true; object: StixObject } | { ok: false; reason: string } {
  const fail = (reason: string) => ({ ok: false as const, reason });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not a JSON object');
  const o = value as Record<string, unknown>;
  if (typeof o.type !== 'string' || !TYPE.test(o.type)) return fail('type: missing or not a STIX type name');
  if (o.type === 'bundle') return fail('type: a bundle inside a bundle');
  if (!isStixId(o.id) || !(o.id as string).startsWith(`${o.type}--`))
    return fail(`id: not "${o.type}--" followed by a UUID`);
  if (o.spec_version !== '2.1') return fail('spec_version: must be "2.1"');
  const sco = SCO_TYPES.has(o.type);
  if (!sco) {
    if (!isStixTimestamp(o.created)) return fail('created: missing or not an RFC 3339 UTC timestamp');
    if (o.type !== 'marking-definition') {
      if (!isStixTimestamp(o.modified)) return fail('modified: missing or not an RFC 3339 UTC timestamp');
      if (Date.parse(o.modified as string) < Date.parse(o.created as string))
        return fail('modified: before created');
    }
  }
  // Own properties only: a type named like an Object method ("constructor") has no requirements.
  for (const property of Object.hasOwn(REQUIRED, o.type) ? REQUIRED[o.type]! : [])
    if (o[property] === undefined || o[property] === null || o[property] === '')
      return fail(`${property}: required for ${o.type}`);
  for (const property of TIMESTAMPS)
    if (o[property] !== undefined && !isStixTimestamp(o[property]))
      return fail(`${property}: not an RFC 3339 UTC timestamp`);
  for (const [key, ref] of Object.entries(o)) {
    if (key.endsWith('_ref') && !isStixId(ref)) return fail(`${key}: not a STIX identifier`);
    if (key.endsWith('_refs') && (!Array.isArray(ref) || !ref.every(isStixId)))
      return fail(`${key}: not a list of STIX identifiers`);
  }
  if (o.type === 'report' || o.type === 'note' || o.type === 'opinion' || o.type === 'grouping')
    if ((o.object_refs as unknown[]).length === 0) return fail('object_refs: empty');
  if (o.type === 'indicator') {
    if (o.pattern_type === 'stix') {
      if (typeof o.pattern !== 'string') return fail('pattern: not a string');
      const why = checkStixPattern(o.pattern);
      if (why) return fail(`pattern: ${why}`);
    }
    if (
      o.valid_until !== undefined &&
      Date.parse(o.valid_until as string) <= Date.parse(o.valid_from as string)
    )
      return fail('valid_until: not after valid_from');
  }
  if (o.type === 'marking-definition' && o.extensions === undefined && o.definition === undefined)
    return fail('marking-definition: neither definition nor extensions');
  return { ok: true, object: o as StixObject };
}
