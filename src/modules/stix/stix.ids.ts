import { createHash } from 'node:crypto';

/*
 * Deterministic identifiers and timestamps for STIX 2.1 objects.
 *
 * STIX 2.1 (OASIS Standard, 2021-06-10) §2.9 "Identifier": `<object-type>--<UUID>`, the UUID an RFC
 * 4122 UUID; SDOs and SROs SHOULD use version 4 UUIDs, but "version 5 UUIDs MAY be used" where an
 * object is produced again from the same source, which is kyoyu's case: the same record always
 * exports with the same id, so a consumer recognises a new version of an object it already holds.
 * §2.3 "Timestamp": RFC 3339, always UTC with "Z"; `created`/`modified` (§3.2) SHOULD carry
 * millisecond precision, and `modified` MUST be later than or equal to `created`.
 */

/** kyoyu's own UUIDv5 namespace (fixed forever: changing it would change every exported id). */
export const KYOYU_STIX_NAMESPACE = '7a4f0c1e-93d2-4b6e-8c5a-2f1d6b9e0a37';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/** RFC 4122 §4.3: SHA-1 over namespace and name, version 5, the RFC's variant. */
export function uuidV5(name: string, namespace: string = KYOYU_STIX_NAMESPACE): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of a `type` object standing for the record named `name` (e.g. `incident:KY-2023-...`). */
export const stixId = (type: string, name: string): string => `${type}--${uuidV5(`${type}|${name}`)}`;

/** An instant as STIX writes it: RFC 3339 in UTC, milliseconds, `Z` (e.g. 2023-10-05T08:00:00.000Z). */
export function stixTime(instant: string | number | Date): string {
  const ms =
    instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${String(instant)}`);
  return new Date(ms).toISOString();
}

/** `modified` never before `created` (§3.2), whatever the record's own columns say. */
export function createdModified(created: string, modified: string): { created: string; modified: string } {
  const c = stixTime(created);
  const m = stixTime(modified);
  return { created: c, modified: m < c ? c : m };
}
