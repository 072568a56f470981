import { createHash } from 'node:crypto';

/** The namespace of kyoyu's collection ids (a UUID of its own, fixed once). */
const NAMESPACE = '5f3c1f1e-6f0a-4d5e-9a59-7b1e0c9f2a41';

/**
 * A name-based UUID (RFC 9562 version 5): the same collection key gives the same id across
 * restarts, so a partner's configured feed keeps working after the collection is recreated.
 */
export function uuidV5(name: string, namespace = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const collectionIdOf = (key: string): string => uuidV5(`taxii-collection:${key}`);

/** A STIX identifier: `<type>--<UUID>` (STIX 2.1 §2.9). */
export const STIX_ID =
  /^([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A timestamp as stored and compared: UTC, milliseconds (STIX and TAXII timestamps sort as text so). */
export function normalTimestamp(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The `next` token (§3.4): opaque to clients; a position in the order, so adds do not shift it. */
export function encodeNext(dateAdded: string, id: number): string {
  return Buffer.from(`${dateAdded}|${id}`, 'utf8').toString('base64url');
}

export function decodeNext(token: string): { dateAdded: string; id: number } | null {
  const [dateAdded, id] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  if (!dateAdded || !id || !/^[1-9][0-9]{0,15}$/.test(id) || normalTimestamp(dateAdded) !== dateAdded)
    return null;
  return { dateAdded, id: Number(id) };
}
