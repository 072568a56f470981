import type { Expression, RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import {
  cursorId,
  cursorInstant,
  cursorParts,
  encodeCursor,
  invalidCursor,
} from '../../platform/http/cursor.js';

/** What the incident list sorts by: the received time (the default), the sector, the latest stage. */
export const SORTS = ['received', 'sector', 'stage'] as const;
export type Sort = (typeof SORTS)[number];
export const DIRECTIONS = ['desc', 'asc'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export interface Ordering {
  sort: Sort;
  direction: Direction;
}
export const NEWEST_FIRST: Ordering = { sort: 'received', direction: 'desc' };

/**
 * Each sort's key, written exactly as the expression index of migration 012 is (the received time
 * has its own indexes): both databases then read the list in order from it and stop after a page.
 * Neither key is ever NULL, so that SQLite (NULLs first) and PostgreSQL (NULLs last) agree on where
 * provisions and shares (no sector, no stage) go. Stages sort in filing order: initial, update, final.
 */
const KEY_SQL: Record<Sort, RawBuilder<string | number>> = {
  received: sql<string>`incidents.first_received_at`,
  sector: sql<string>`coalesce(incidents.sector, '')`,
  stage: sql<number>`(case incidents.stage when 'initial' then 1 when 'update' then 2 when 'final' then 3 else 0 end)`,
};
export const sortKeySql = (sort: Sort) => KEY_SQL[sort];

/**
 * A position in the list: the last row of a page. The key is the sort key's value (absent for
 * the received sort, whose key is the received time itself).
 */
export interface Position {
  key?: string | number;
  firstReceivedAt: string;
  id: number;
}

/** The cursor of a position; the received sort keeps the two-part cursor it always had. */
export function encodePosition(sort: Sort, position: Position): string {
  const { key, firstReceivedAt, id } = position;
  return sort === 'received'
    ? encodeCursor(firstReceivedAt, id)
    : encodeCursor(sort, String(key ?? ''), firstReceivedAt, id);
}

// What a sector key can be: a taxonomy code (or '' for none). A stage key: one of the ranks above.
const SECTOR_KEY = /^[A-Za-z0-9_.-]{0,64}$/;
const STAGE_KEY = /^[0-3]$/;

/** The position a cursor names, refused (400) unless it is one this sort could have given out. */
export function decodePosition(sort: Sort, cursor: string | undefined): Position | undefined {
  if (!cursor) return undefined;
  if (sort === 'received') {
    const [at, id] = cursorParts(cursor, 2);
    return { firstReceivedAt: cursorInstant(at!), id: cursorId(id!) };
  }
  const [name, key, at, id] = cursorParts(cursor, 4);
  if (name !== sort) throw invalidCursor();
  if (sort === 'sector' ? !SECTOR_KEY.test(key!) : !STAGE_KEY.test(key!)) throw invalidCursor();
  return {
    key: sort === 'stage' ? Number(key) : key,
    firstReceivedAt: cursorInstant(at!),
    id: cursorId(id!),
  };
}

/**
 * Rows strictly after `position` in (key, received time, id), all in one direction, so that one
 * index serves the sort either way. The leading `key <= K` (or `>=`) is implied by the rest; it is
 * there so that the databases start reading the index at the position instead of filtering from
 * its start.
 */
export function afterSql(ordering: Ordering, position: Position): Expression<SqlBool> {
  const op = ordering.direction === 'desc' ? sql.raw('<') : sql.raw('>');
  const opOrEqual = ordering.direction === 'desc' ? sql.raw('<=') : sql.raw('>=');
  const at = sql.ref('incidents.first_received_at');
  const id = sql.ref('incidents.id');
  const tail = sql<SqlBool>`(${at} ${opOrEqual} ${position.firstReceivedAt} and (${at} ${op} ${position.firstReceivedAt} or ${id} ${op} ${position.id}))`;
  if (ordering.sort === 'received') return tail;
  const key = sortKeySql(ordering.sort);
  const k = position.key ?? '';
  return sql<SqlBool>`(${key} ${opOrEqual} ${k} and (${key} ${op} ${k} or ${tail}))`;
}
