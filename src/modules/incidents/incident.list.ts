import type { FiscalCalendar, Quarter } from '../../domain/fiscal-calendar.js';
import type { Channel } from '../../domain/taxonomy.js';
import type { Tlp } from '../../domain/tlp.js';
import { AppError, forbidden } from '../../platform/errors.js';
import type { Actor } from '../../access/index.js';
import { isAllowed } from '../../access/index.js';
import type { IncidentFilter } from './list-conditions.js';
import type { Direction, Ordering, Sort } from './list-sort.js';
import { givenRef } from './incident.policy.js';

/** The list's query: the API's filters, then keyset paging. */
export interface ListQuery {
  fy?: number;
  quarter?: Quarter;
  sector?: string;
  channel?: Channel;
  event?: string;
  cause?: string;
  attack_type?: string;
  stage?: string;
  tlp?: Tlp;
  /** Free text: in the title, the description or the ref. */
  q?: string;
  /** The center's review queue: not classified by the center yet, or reported on since it was. */
  review?: 'pending' | 'unclassified' | 'changed';
  /** Lifecycle state; received by default, the others (and all) for the center only. */
  state?: 'received' | 'rejected' | 'withdrawn' | 'all';
  /** Only the caller's own organisation's records. */
  mine?: boolean;
  sort?: Sort;
  order?: Direction;
  limit: number;
  cursor?: string;
}
/** The list's filter and order alone: what an export and a saved filter hold. */
export type ListFilterQuery = Omit<ListQuery, 'limit' | 'cursor'>;

export function filterOf(query: ListFilterQuery, calendar: FiscalCalendar, actor: Actor): IncidentFilter {
  const state = query.state ?? 'received';
  // Rejected and withdrawn records are the center's evidence: other callers list received ones only
  // (they still read their own rejected record by its id). The review queue never holds them.
  if (state !== 'received' && !isAllowed(actor, 'incidents:lifecycle'))
    throw forbidden('only the center lists rejected or withdrawn records');
  if (state !== 'received' && query.review)
    throw new AppError('validation_failed', 'the review queue holds received records only', [
      { field: 'state', code: 'invalid_value', message: 'leave state out (or received) with review' },
    ]);
  const filter: IncidentFilter = {
    state,
    sector: query.sector,
    channel: query.channel,
    event: query.event,
    cause: query.cause,
    attackType: query.attack_type,
    stage: query.stage,
    tlp: query.tlp,
    // A whole readable ref in any spelling finds its record; other text is searched as typed.
    text: query.q?.trim() ? givenRef(query.q.trim()) : undefined,
    review: query.review,
    organizationId: query.mine ? actor.organizationId : undefined,
  };
  if (query.fy !== undefined) {
    const range = calendar.rangeOf(query.fy, query.quarter);
    filter.from = range.start.toISOString();
    filter.to = range.end.toISOString();
  } else if (query.quarter !== undefined) {
    throw new AppError('validation_failed', 'quarter needs fy', [
      { field: 'quarter', code: 'required', message: 'give fy with quarter' },
    ]);
  }
  return filter;
}

/** The list's order: newest first unless the query asks otherwise (a sort alone is descending). */
export function orderingOf(query: Pick<ListFilterQuery, 'sort' | 'order'>): Ordering {
  return { sort: query.sort ?? 'received', direction: query.order ?? 'desc' };
}
