import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Branch, Visibility } from '../../access/index.js';
import { branchAdmits, branchSql, visibilitySql } from '../../access/index.js';
import type { Dialect } from '../../platform/db/dialect.js';
import type { DB, IncidentTable, StageReportTable } from '../../platform/db/schema.js';

export type IncidentRecord = Selectable<IncidentTable> & { organization_name: string | null };
export type StageRecord = Selectable<StageReportTable>;

export interface IncidentFilter {
  from?: string;
  to?: string;
  sector?: string;
  channel?: string;
  event?: string;
  cause?: string;
  attackType?: string;
  stage?: string;
  tlp?: string;
  /** Matched case-insensitively anywhere in the title, the description or the ref. */
  text?: string;
  review?: 'pending' | 'unclassified' | 'changed';
  /** Lifecycle state; `all` (or absent) lists every state. */
  state?: 'received' | 'rejected' | 'withdrawn' | 'all';
}

/**
 * The center's review queue: not classified by the center yet, or reported on since it was (a
 * stage arrived since: it may say something new; classifying sets updated_at to the same instant as
 * center_classified_at). Literally the predicate of the partial index incidents_review_time_idx.
 */
export const REVIEW_PENDING_SQL = sql<boolean>`((incidents.channel = 'operator_report' and incidents.center_event is null) or incidents.updated_at > incidents.center_classified_at)`;

/**
 * A LIKE pattern that finds `text` literally: %, _ and the escape character lose their meaning.
 * Control characters go: the fields of the PostgreSQL search document are joined with one (so a
 * search never matches across two fields).
 */
const containing = (text: string) =>
  // eslint-disable-next-line no-control-regex
  `%${text.replace(/[\u0000-\u001f]/g, '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * What free text is searched in, in this order: on PostgreSQL they are one text, written exactly as
 * the trigram index of migration 004 (which the query then uses) is.
 */
export const TEXT_SEARCH_COLUMNS = ['incidents.title', 'incidents.description', 'incidents.ref'] as const;

export interface Page {
  limit: number;
  /** Keyset position: list continues strictly after this (first_received_at, id), newest first. */
  after?: { firstReceivedAt: string; id: number };
}

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
      .select('organizations.name as organization_name');
  }

  findById(id: number, visibility: Visibility): Promise<IncidentRecord | undefined> {
    return this.base().where(visibilitySql(visibility)).where('incidents.id', '=', id).executeTakeFirst();
  }

  /**
   * A page of the list, newest first. A scoped caller sees the union of a few alternatives (its own
   * organisation, each shared TLP, each of its sectors); as one OR, the databases collect every
   * matching row and sort them all (400 ms for a sector desk at 1,000,000 incidents). Each
   * alternative alone reads its own (column, first_received_at, id) index in order and stops after
   * a page, so the list asks each for a page and merges them.
   */
  async list(visibility: Visibility, filter: IncidentFilter, page: Page): Promise<IncidentRecord[]> {
    // The rule's branches, less those the filter rules out (a tlp=RED list asks no GREEN branch).
    const branches = visibility.branches.filter(
      (b) =>
        (!filter.tlp || branchAdmits(b, 'tlp', filter.tlp)) &&
        (!filter.sector || branchAdmits(b, 'sector', filter.sector)) &&
        (!filter.channel || branchAdmits(b, 'channel', filter.channel)),
    );
    if (branches.length === 0) return [];
    const pages = await Promise.all(branches.map((branch) => this.listPage(branch, filter, page)));
    if (pages.length === 1) return pages[0]!;
    const seen = new Set<number>();
    return pages
      .flat()
      .filter((row) => !seen.has(row.id) && seen.add(row.id))
      .sort((a, b) =>
        a.first_received_at === b.first_received_at
          ? b.id - a.id
          : a.first_received_at < b.first_received_at
            ? 1
            : -1,
      )
      .slice(0, page.limit);
  }

  private listPage(branch: Branch, filter: IncidentFilter, page: Page): Promise<IncidentRecord[]> {
    let q = this.base();
    if (branch.length > 0) q = q.where(branchSql(branch));
    const f = filter;
    if (f.from) q = q.where('incidents.first_received_at', '>=', f.from);
    if (f.to) q = q.where('incidents.first_received_at', '<', f.to);
    if (f.sector) q = q.where('incidents.sector', '=', f.sector);
    if (f.channel) q = q.where('incidents.channel', '=', f.channel);
    if (f.event) q = q.where('incidents.event', '=', f.event);
    if (f.attackType) q = q.where('incidents.attack_type', '=', f.attackType);
    if (f.stage) q = q.where('incidents.stage', '=', f.stage);
    if (f.tlp) q = q.where('incidents.tlp', '=', f.tlp);
    if (f.state && f.state !== 'all') {
      q = q.where('incidents.state', '=', f.state);
      // Written as the predicate of the partial index of migration 005, which both databases then
      // read in list order (neither derives it from the equality alone).
      if (f.state !== 'received') q = q.where(sql<boolean>`incidents.state <> 'received'`);
    }
    if (f.text) {
      q = q.where(this.dialect.containsText(TEXT_SEARCH_COLUMNS, containing(f.text)));
    }
    if (f.review) {
      // Always the whole pending condition, written as the partial index's predicate (migration
      // 003), so that both databases list the queue from that index; the narrower filters add
      // their half on top.
      q = q.where(REVIEW_PENDING_SQL);
      if (f.review === 'unclassified') q = q.where(sql<boolean>`incidents.center_event is null`);
      if (f.review === 'changed')
        q = q.where(sql<boolean>`incidents.updated_at > incidents.center_classified_at`);
    }
    if (f.cause) {
      const cause = f.cause;
      q = q.where('incidents.id', 'in', (eb: ExpressionBuilder<DB, 'incidents'>) =>
        eb.selectFrom('incident_causes').select('incident_id').where('cause', '=', cause),
      );
    }
    if (page.after) {
      const { firstReceivedAt, id } = page.after;
      q = q.where((eb) =>
        eb.or([
          eb('incidents.first_received_at', '<', firstReceivedAt),
          eb.and([eb('incidents.first_received_at', '=', firstReceivedAt), eb('incidents.id', '<', id)]),
        ]),
      );
    }
    return q
      .orderBy('incidents.first_received_at', 'desc')
      .orderBy('incidents.id', 'desc')
      .limit(page.limit)
      .execute();
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
