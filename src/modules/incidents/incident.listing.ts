import type { Kysely } from 'kysely';
import type { Actor } from '../../access/index.js';
import { actionsOn, visibilityOf } from '../../access/index.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { DB } from '../../platform/db/schema.js';
import type { AuditService } from '../audit/index.js';
import type { IndicatorRow } from '../indicators/index.js';
import { indicatorsOf, receivableViews } from '../indicators/index.js';
import { whoOf } from '../audit/index.js';
import { exportEvent, listEvent } from './incident.audit.js';
import type { ListFilterQuery, ListQuery } from './incident.list.js';
import { filterOf, orderingOf } from './incident.list.js';
import type { IncidentRepository, ListedRecord } from './incident.repository.js';
import type { IncidentPage, IncidentView } from './incident.schema.js';
import { incidentView } from './incident.view.js';
import { decodePosition, encodePosition } from './list-sort.js';

export interface ListingDeps {
  repo: IncidentRepository;
  /** The database the export reads each batch's indicators from. */
  db: Kysely<DB>;
  calendar: FiscalCalendar;
  audit: AuditService;
}

/**
 * Totals are exact up to this many records and "at least" beyond: a count's cost is bounded by it,
 * not by the table (a list that long is narrowed by its filters, not read to the end).
 */
export const TOTAL_CAP = 10_000;

/** How many rows an export reads at a time: memory stays bounded whatever the list holds. */
export const EXPORT_BATCH = 500;

const present = (
  deps: ListingDeps,
  actor: Actor,
  row: ListedRecord,
  indicators?: readonly IndicatorRow[],
): IncidentView =>
  incidentView(
    row,
    deps.calendar,
    actionsOn(actor, row),
    undefined,
    indicators && receivableViews(actor, row, indicators),
  );

/**
 * A page of the list the caller may see, in the asked order, with the total the filter matches on
 * the first page (a client paging on keeps the first page's; counting again per page would cost
 * as much as the first count every time).
 */
export async function listPage(deps: ListingDeps, actor: Actor, query: ListQuery): Promise<IncidentPage> {
  const ordering = orderingOf(query);
  const filter = filterOf(query, deps.calendar, actor);
  const after = decodePosition(ordering.sort, query.cursor);
  const visibility = visibilityOf(actor);
  const [rows, total] = await Promise.all([
    deps.repo.list(visibility, filter, { limit: query.limit + 1, ordering, after }),
    after ? null : deps.repo.count(visibility, filter, TOTAL_CAP),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const next_cursor =
    rows.length > query.limit && last
      ? encodePosition(ordering.sort, {
          key: last.sort_key,
          firstReceivedAt: last.first_received_at,
          id: last.id,
        })
      : null;
  await deps.audit.record(whoOf(actor), listEvent(query, page.length));
  return {
    items: page.map((r) => present(deps, actor, r)),
    next_cursor,
    total: total?.n ?? null,
    total_capped: total?.capped ?? false,
  };
}

/**
 * Every record the filter matches that the caller may see, in the list's order, read a batch at
 * a time by the list's own keyset paging (so the same visibility rule, and never the whole list
 * in memory). The query is checked and the export recorded before the first row is read: a
 * refused export answers its error, not a broken file.
 */
export async function exportList(
  deps: ListingDeps,
  actor: Actor,
  query: ListFilterQuery,
): Promise<AsyncIterable<IncidentView>> {
  const ordering = orderingOf(query);
  const filter = filterOf(query, deps.calendar, actor);
  const visibility = visibilityOf(actor);
  await deps.audit.record(whoOf(actor), exportEvent(query));
  return (async function* () {
    let after: Parameters<typeof encodePosition>[1] | undefined;
    for (;;) {
      const rows = await deps.repo.list(visibility, filter, { limit: EXPORT_BATCH, ordering, after });
      // The batch's indicators in one query (its column in the export), each row shown per its marking.
      const byIncident = new Map<number, IndicatorRow[]>();
      for (const i of await indicatorsOf(
        deps.db,
        rows.map((r) => r.id),
      )) {
        const list = byIncident.get(i.incident_id);
        if (list) list.push(i);
        else byIncident.set(i.incident_id, [i]);
      }
      for (const row of rows) yield present(deps, actor, row, byIncident.get(row.id) ?? []);
      const last = rows[rows.length - 1];
      if (rows.length < EXPORT_BATCH || !last) return;
      after = { key: last.sort_key, firstReceivedAt: last.first_received_at, id: last.id };
    }
  })();
}
