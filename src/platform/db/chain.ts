import { createHash } from 'node:crypto';

/**
 * What a dialect needs to append to a hash chain (the audit trail): the entry's columns and the
 * text its hash covers. The form of that text is the audit module's (audit.chain.ts); the dialects
 * only fill in what is known at append time, under the chain head's lock: in JavaScript on SQLite,
 * inside the statement on PostgreSQL. Both fill the same pieces, so both write the hash the
 * verifier recomputes.
 */

/** prev_hash of the first entry of every chain, and the hash of a head without entries. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * A value only the append knows: the previous entry's hash, the entry's id, chain and seq, and its
 * object id (a new record's id is known only inside the statement that creates it).
 */
export type ChainSlot = 'prev_hash' | 'id' | 'chain' | 'seq' | 'object_id';

/**
 * The text an entry's hash is the sha256 (hex) of: literal pieces and slots. A slot stands for its
 * value as text: numbers in decimal, prev_hash as is, object_id as JSON (a string, or null).
 */
export type HashedText = ReadonlyArray<string | { slot: ChainSlot }>;

export interface ChainPlace {
  prev_hash: string;
  id: number;
  chain: number;
  seq: number;
  object_id: string | null;
}

export interface ChainEntry {
  /** The entry's columns, its place (id, chain, seq) and hashes aside. */
  values: { readonly [column: string]: string | number | null; readonly object_id: string | null };
  hashed: HashedText;
  hashVersion: number;
  /**
   * The entry is about the record the same write creates (`Dialect.writeOne`): its object_id is
   * that record's id, whatever `values.object_id` says.
   */
  ofNewRecord?: boolean;
}

export function fillHashedText(text: HashedText, place: ChainPlace): string {
  let out = '';
  for (const piece of text) {
    if (typeof piece === 'string') out += piece;
    else if (piece.slot === 'object_id') out += JSON.stringify(place.object_id);
    else out += String(place[piece.slot]);
  }
  return out;
}

/** sha256 (hex) of the filled text: the hash an entry at `place` gets. */
export function chainHash(text: HashedText, place: ChainPlace): string {
  return createHash('sha256').update(fillHashedText(text, place)).digest('hex');
}
