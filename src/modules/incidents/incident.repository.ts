import type { Kysely, Selectable } from 'kysely';
import type { Branch, Visibility } from '../../access/index.js';
import { audienceMembersSql, visibilitySql } from '../../access/index.js';
import type { IncidentFilter } from './list-conditions.js';
import { branchesFor, conditionsOf } from './list-conditions.js';
import type { Ordering, Position } from './list-sort.js';
import { afterSql, NEWEST_FIRST, sortKeySql } from './list-sort.js';
import type { Dialect } from '../../platform/db/dialect.js';
import type { DB, IncidentTable, StageReportTable } from '../../platform/db/schema.js';

export type IncidentRecord = Selectable<IncidentTable> & {
  organization_name: string | null;
  /** What the access rule reads of an addressed record (space-separated members). */
  audience_members?: string | null;
};
export type StageRecord = Selectable<StageReportTable>;

export type { IncidentFilter } from './list-conditions.js';
export { REVIEW_PENDING_SQL, TEXT_SEARCH_COLUMNS } from './list-conditions.js';

export interface Page {
  limit: number;
  /** How the list is ordered; newest first unless given. */
  ordering?: Ordering;
  /** Keyset position: the list continues strictly after it, in the ordering. */
  after?: Position;
}

/** A listed row with the value of its sort key (for the next page's cursor). */
export type ListedRecord = IncidentRecord & { sort_key: string | number };

/** Read queries over incidents; every query takes the caller's visibility so none can forget it. */
export class IncidentRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** Unfiltered: callers add the visibility rule (whole, or one list branch of it). */
  private base() {
    return this.db
      .selectFrom('incidents')
      .leftJoin('organizations', 'organizations.id', 'incidents.organization_id')
      .selectAll('incidents')
      .select('organizations.name as organization_name')
      .select(audienceMembersSql(this.dialect).as('audience_members'));
  }

  findById(id: number, visibility: Visibility): Promise<IncidentRecord | undefined> {
    return this.base().where(visibilitySql(visibility)).where('incidents.id', '=', id).executeTakeFirst();
  }

  /** Those of `ids` the visibility admits, in any order (a batch of at most a few hundred). */
  findByIds(ids: readonly number[], visibility: Visibility): Promise<IncidentRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.base().where(visibilitySql(visibility)).where('incidents.id', 'in', ids).execute();
  }

  /**
   * A page of the list, in the page's ordering. A scoped caller sees the union of a few
   * alternatives (its own organisation, each shared TLP, each of its sectors); as one OR, the
   * databases collect every matching row and sort them all (400 ms for a sector desk at 1,000,000
   * incidents). Each alternative alone reads its own index in order and stops after a page, so the
   * list asks each for a page (ids and keys only) and the database merges them: in SQL, so that
   * the merge orders text keys by the same collation as the indexes do.
   */
  async list(visibility: Visibility, filter: IncidentFilter, page: Page): Promise<ListedRecord[]> {
    const branches = branchesFor(visibility.branches, filter);
    if (branches.length === 0) return [];
    const ordering = page.ordering ?? NEWEST_FIRST;
    const dir = ordering.direction;
    const key = sortKeySql(ordering.sort);
    if (branches.length === 1) {
      return this.base()
        .select(key.as('sort_key'))
        .where((eb) => eb.and(this.pageConditions(branches[0]!, filter, page, ordering)))
        .$if(ordering.sort !== 'received', (q) => q.orderBy(key, dir))
        .orderBy('incidents.first_received_at', dir)
        .orderBy('incidents.id', dir)
        .limit(page.limit)
        .execute();
    }
    const pages = branches.map((branch) =>
      this.db
        .selectFrom(
          this.db
            .selectFrom('incidents')
            .select([key.as('sort_key'), 'incidents.first_received_at', 'incidents.id'])
            .where((eb) => eb.and(this.pageConditions(branch, filter, page, ordering)))
            .$if(ordering.sort !== 'received', (q) => q.orderBy(key, dir))
            .orderBy('incidents.first_received_at', dir)
            .orderBy('incidents.id', dir)
            .limit(page.limit)
            .as('branch'),
        )
        .selectAll(),
    );
    // UNION (not ALL): a record several branches admit is listed once.
    const merged = pages.slice(1).reduce((all, next) => all.union(next), pages[0]!);
    return this.base()
      .innerJoin(merged.as('merged'), 'merged.id', 'incidents.id')
      .select('merged.sort_key')
      .orderBy('merged.sort_key', dir)
      .orderBy('merged.first_received_at', dir)
      .orderBy('merged.id', dir)
      .limit(page.limit)
      .execute();
  }

  /**
   * How many records the filtered list holds, counted up to `cap`: each branch counted from its
   * own index (at most cap + 1 of its ids read), a record several branches admit once (their ids
   * united, not their counts added). The union holds more than `cap` ids exactly when the list
   * does, so the answer is exact below the cap and "more than cap" above it, whatever the table's
   * size (an exact count of a scoped caller's 500,000 visible records took seconds at 1,000,000).
   */
  async count(
    visibility: Visibility,
    filter: IncidentFilter,
    cap: number,
  ): Promise<{ n: number; capped: boolean }> {
    const branches = branchesFor(visibility.branches, filter);
    if (branches.length === 0) return { n: 0, capped: false };
    const idsOf = (branch: Branch) =>
      this.db
        .selectFrom(
          this.db
            .selectFrom('incidents')
            .select('incidents.id')
            .where((eb) => eb.and(conditionsOf(branch, filter, this.dialect)))
            .limit(cap + 1)
            .as('branch'),
        )
        .select('branch.id');
    const ids = branches.slice(1).reduce((all, branch) => all.union(idsOf(branch)), idsOf(branches[0]!));
    const row = await this.db
      .selectFrom(ids.as('matching'))
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    const n = Number(row.n);
    return n > cap ? { n: cap, capped: true } : { n, capped: false };
  }

  private pageConditions(branch: Branch, filter: IncidentFilter, page: Page, ordering: Ordering) {
    const where = conditionsOf(branch, filter, this.dialect);
    if (page.after) where.push(afterSql(ordering, page.after));
    return where;
  }

  stagesOf(incidentId: number): Promise<StageRecord[]> {
    return this.db
      .selectFrom('stage_reports')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('received_at')
      .orderBy('id')
      .execute();
  }
}
