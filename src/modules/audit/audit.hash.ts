import type { Selectable } from 'kysely';
import type { HashedText } from '../../platform/db/chain.js';
import { chainHash, fillHashedText } from '../../platform/db/chain.js';
import type { AuditHeadTable, AuditLogTable } from '../../platform/db/schema.js';

/**
 * An audit entry's hash: the canonical form of what it says and where it sits, one definition for
 * the appends (which fill in the place where they know it) and the verifier (from the stored entry).
 */

/** An entry as stored; details is JSON text, hashed byte for byte as stored. */
export type AuditEntry = Selectable<AuditLogTable>;

/** What an entry says: everything but its place in the chain. */
export type AuditContent = Omit<AuditEntry, 'id' | 'chain' | 'seq' | 'prev_hash' | 'hash' | 'hash_version'>;

/** Where an entry sits, and which canonical form its hash was computed over. */
export type EntryPlace = Pick<AuditEntry, 'id' | 'chain' | 'seq' | 'hash_version'>;

/** The last seq and hash of a chain, kept apart from the entries: it vouches for the chain's end. */
export type ChainHead = AuditHeadTable;

/**
 * The version new entries are hashed with. 1: `[chain,seq,...]`, entries written before migration
 * 008, whose hash does not cover the id; 2: `["v2",id,chain,seq,...]`, so that an entry moved to
 * another id (the API orders by id) no longer matches its hash. The marker makes the two forms
 * distinct byte strings, so a version-2 entry cannot pass as a version-1 one with the same hash.
 */
export const HASH_VERSION = 2;

/**
 * The JSON texts around chain, seq and object_id in the canonical form. They are split out so that
 * PostgreSQL can build the very same bytes in SQL, where chain and seq are only known under the
 * head's row lock (and a new incident's id only inside the statement that creates it).
 */
function canonicalParts(c: AuditContent): { before: string; after: string } {
  const inner = (values: unknown[]) => JSON.stringify(values).slice(1, -1);
  return {
    before: inner([c.at, c.actor_user_id ?? null, c.actor, c.action, c.object_type ?? null]),
    after: inner([c.ip ?? null, c.request_id ?? null, c.details ?? null]),
  };
}

/**
 * Version 2: `["v2",id,chain,seq,at,actor_user_id,actor,action,object_type,object_id,ip,request_id,details]`;
 * version 1 the same without the marker and the id. Throws on any other version. Written with the
 * place as slots: the appends fill them where they are known (SQLite's in JavaScript, PostgreSQL's
 * inside its statement), the verifier from the stored entry.
 */
function formOf(version: number, c: AuditContent): HashedText {
  const { before, after } = canonicalParts(c);
  const tail = [
    { slot: 'chain' },
    ',',
    { slot: 'seq' },
    `,${before},`,
    { slot: 'object_id' },
    `,${after}]`,
  ] as const;
  if (version === 1) return ['[', ...tail];
  if (version === 2) return ['["v2",', { slot: 'id' }, ',', ...tail];
  throw new RangeError(`unknown audit hash version ${version}`);
}

/** What an entry's hash is the sha256 of: the previous hash, a line break and the canonical form. */
export function hashedText(version: number, c: AuditContent): HashedText {
  return [{ slot: 'prev_hash' }, '\n', ...formOf(version, c)];
}

const placeOf = (prevHash: string, place: EntryPlace, c: AuditContent) => ({
  prev_hash: prevHash,
  id: place.id,
  chain: place.chain,
  seq: place.seq,
  object_id: c.object_id ?? null,
});

export function canonicalForm(place: EntryPlace, c: AuditContent): string {
  return fillHashedText(formOf(place.hash_version, c), placeOf('', place, c));
}

/** sha256 (hex) of the previous hash, a line break and the canonical form. */
export function entryHash(prevHash: string, place: EntryPlace, c: AuditContent): string {
  return chainHash(hashedText(place.hash_version, c), placeOf(prevHash, place, c));
}

/** Whether a stored entry matches its own hash (an unknown hash version never does). */
export function selfConsistent(entry: AuditEntry): boolean {
  if (entry.hash_version !== 1 && entry.hash_version !== 2) return false;
  return entryHash(entry.prev_hash, entry, entry) === entry.hash;
}
