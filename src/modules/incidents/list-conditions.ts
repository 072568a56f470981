import type { Expression, SqlBool } from 'kysely';
import { expressionBuilder, sql } from 'kysely';
import type { Branch } from '../../access/index.js';
import { branchAdmits, branchSql } from '../../access/index.js';
import type { Dialect } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';

export interface IncidentFilter {
  from?: string;
  to?: string;
  sector?: string;
  channel?: string;
  /** The caller's own organisation's records ("mine"). */
  organizationId?: number;
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

/**
 * The visibility rule's branches a filtered list must ask: less those the filter rules out (a
 * tlp=RED list asks no GREEN branch); and with the own-organisation filter, only the branch of the
 * caller's own organisation where there is one (it holds every record of that organisation).
 */
export function branchesFor(branches: readonly Branch[], filter: IncidentFilter): readonly Branch[] {
  const admitted = branches.filter(
    (b) =>
      (!filter.tlp || branchAdmits(b, 'tlp', filter.tlp)) &&
      (!filter.sector || branchAdmits(b, 'sector', filter.sector)) &&
      (!filter.channel || branchAdmits(b, 'channel', filter.channel)) &&
      (filter.organizationId === undefined || branchAdmits(b, 'organization_id', filter.organizationId)),
  );
  const org = filter.organizationId;
  const whole =
    org === undefined
      ? undefined
      : admitted.find((b) => b.every((c) => 'column' in c && c.column === 'organization_id' && c.in.includes(org)));
  return whole ? [whole] : admitted;
}

/** One branch of the rule and the filter, as conditions over `incidents`. */
export function conditionsOf(
  branch: Branch,
  filter: IncidentFilter,
  dialect: Dialect,
): Expression<SqlBool>[] {
  const eb = expressionBuilder<DB, 'incidents'>();
  const f = filter;
  const where: Expression<SqlBool>[] = [];
  if (branch.length > 0) where.push(branchSql(branch));
  if (f.from) where.push(eb('incidents.first_received_at', '>=', f.from));
  if (f.to) where.push(eb('incidents.first_received_at', '<', f.to));
  if (f.sector) where.push(eb('incidents.sector', '=', f.sector));
  if (f.channel) where.push(eb('incidents.channel', '=', f.channel));
  if (f.organizationId !== undefined) where.push(eb('incidents.organization_id', '=', f.organizationId));
  if (f.event) where.push(eb('incidents.event', '=', f.event));
  if (f.attackType) where.push(eb('incidents.attack_type', '=', f.attackType));
  if (f.stage) where.push(eb('incidents.stage', '=', f.stage));
  if (f.tlp) where.push(eb('incidents.tlp', '=', f.tlp));
  if (f.state && f.state !== 'all') {
    where.push(eb('incidents.state', '=', f.state));
    // Written as the predicate of the partial index of migration 005, which both databases then
    // read in list order (neither derives it from the equality alone).
    if (f.state !== 'received') where.push(sql<boolean>`incidents.state <> 'received'`);
  }
  if (f.text) where.push(dialect.containsText(TEXT_SEARCH_COLUMNS, containing(f.text)));
  if (f.review) {
    // Always the whole pending condition, written as the partial index's predicate (migration
    // 003), so that both databases list the queue from that index; the narrower filters add
    // their half on top.
    where.push(REVIEW_PENDING_SQL);
    if (f.review === 'unclassified') where.push(sql<boolean>`incidents.center_event is null`);
    if (f.review === 'changed')
      where.push(sql<boolean>`incidents.updated_at > incidents.center_classified_at`);
  }
  if (f.cause) {
    const cause = f.cause;
    where.push(
      eb(
        'incidents.id',
        'in',
        eb.selectFrom('incident_causes').select('incident_id').where('cause', '=', cause),
      ),
    );
  }
  return where;
}
