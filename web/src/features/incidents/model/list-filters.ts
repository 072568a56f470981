import type { Action } from '../../../shared/api/types';

/** The list's filters and order: exactly the API's, kept in the address so that a filtered list can be shared. */
export const FILTERS = [
  'q',
  'fy',
  'quarter',
  'sector',
  'channel',
  'mine',
  'event',
  'cause',
  'attack_type',
  'stage',
  'sort',
  'order',
] as const;
export type Filter = (typeof FILTERS)[number];
export type Filters = Partial<Record<Filter, string>>;

/**
 * Whoever reports for its own organisation only (an operator) opens the list on its own records:
 * the center's provisions would bury them. Decided from the actions the server lists for the
 * caller (as the landing page is), not from role names. `mine=false` in the address shows all.
 */
export function opensOnOwn(can: (action: Action) => boolean): boolean {
  return can('incidents:write') && !can('incidents:any_organization');
}

/** The filters in the address, with the caller's default for the own-organisation filter. */
export function filtersOf(query: URLSearchParams, ownByDefault: boolean): Filters {
  const filters = Object.fromEntries(
    FILTERS.map((f) => [f, query.get(f) ?? undefined]).filter(([, v]) => v),
  ) as Filters;
  if (filters.mine === undefined && ownByDefault) filters.mine = 'true';
  return filters;
}

/** What the API is asked: `mine=false` is the same as no own-organisation filter. */
export function apiFilters(filters: Filters): Filters {
  const { mine, ...rest } = filters;
  return mine === 'true' ? { ...rest, mine } : rest;
}

/** The sorts the list offers, as `sort:order` values of one selector. */
export const ORDERINGS = [
  'received:desc',
  'received:asc',
  'sector:asc',
  'sector:desc',
  'stage:asc',
  'stage:desc',
] as const;
