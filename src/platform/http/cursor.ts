import { AppError } from '../errors.js';

/**
 * Keyset cursors: the position of the last row of a page, as opaque base64url text. A cursor comes
 * back from the client, so it is input like any other: every part is checked to be one the server
 * could have given out before it reaches a query. Unchecked, an id beyond the column's range fails
 * the query on PostgreSQL ("out of range for type integer": a 500), and a time that is no instant
 * would page through text comparisons that mean nothing.
 */

/** Ids are 32-bit integers (serial on PostgreSQL, the same range kept on SQLite). */
export const MAX_ID = 2 ** 31 - 1;

// At most what any cursor of this server holds (an ISO instant, a separator, ten digits).
const MAX_DECODED_LENGTH = 100;

/** The refusal of any cursor this server did not give out: always the same answer, whatever part is wrong. */
export function invalidCursor(): AppError {
  return new AppError('validation_failed', 'cursor is not one this server gave out', [
    { field: 'cursor', code: 'invalid_value', message: 'use next_cursor from a previous page' },
  ]);
}

export function encodeCursor(...parts: ReadonlyArray<string | number>): string {
  return Buffer.from(parts.join('|')).toString('base64url');
}

/** The cursor's parts, exactly `count` of them, or the refusal. */
export function cursorParts(cursor: string, count: number): string[] {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalidCursor();
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (decoded.length > MAX_DECODED_LENGTH) throw invalidCursor();
  const parts = decoded.split('|');
  if (parts.length !== count) throw invalidCursor();
  return parts;
}

/** A row id: decimal digits only (no sign, no exponent), 1 to MAX_ID. */
export function cursorId(part: string): number {
  if (!/^[1-9]\d{0,9}$/.test(part)) throw invalidCursor();
  const id = Number(part);
  if (id > MAX_ID) throw invalidCursor();
  return id;
}

/**
 * An instant exactly as the server stores and hands it out (`Date#toISOString`, UTC, milliseconds),
 * years 0001-9999: it must survive the round trip unchanged, so 2023-02-30 or 25:00 are refused.
 */
export function cursorInstant(part: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(part) || part.startsWith('0000'))
    throw invalidCursor();
  const ms = Date.parse(part);
  if (Number.isNaN(ms) || new Date(ms).toISOString() !== part) throw invalidCursor();
  return part;
}

/** A cursor that is a row id alone (the audit trail pages by id). */
export function decodeIdCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const [id] = cursorParts(cursor, 1);
  return cursorId(id!);
}

/** A cursor of (time, id), as the incident list pages: newest first, ties broken by id. */
export function decodeTimeIdCursor(cursor: string | undefined): { at: string; id: number } | undefined {
  if (!cursor) return undefined;
  const [at, id] = cursorParts(cursor, 2);
  return { at: cursorInstant(at!), id: cursorId(id!) };
}
