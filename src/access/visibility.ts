import type { Expression, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { IncidentTable } from '../platform/db/schema.js';
import type { Tlp } from '../domain/tlp.js';
import { tlpLevelsFor } from '../domain/tlp.js';
import type { Actor, Role } from './actor.js';

/**
 * THE visibility rule: which records an actor may see, written once as data. A rule is a list of
 * alternative branches; a branch is a conjunction of conditions on columns of `incidents`. The SQL
 * filter (`visibilitySql`, and the list's one-index-per-branch merge in the repository) and the
 * in-memory predicate (`canSee`) are both produced from it, so they cannot disagree.
 */
export type RuleColumn = keyof IncidentTable;
export interface Condition {
  column: RuleColumn;
  /** The record's value of `column` must be one of these. */
  in: readonly (string | number)[];
}
export type Branch = readonly Condition[];
/** What an actor may see: any branch matches. No branch: nothing; one empty branch: everything. */
export interface Visibility {
  branches: readonly Branch[];
}

/** Sees every record (the list then runs as one query without a visibility filter). */
export const EVERYTHING: Visibility = { branches: [[]] };

/**
 * What every record shown beyond its owner organisation and the center must also meet: rejected
 * and withdrawn records stay with the center and the owner (they are evidence, not shared news).
 */
const SHARED: Branch = [{ column: 'state', in: ['received'] }];

/**
 * Who receives what beyond its own organisation, by role (TLP 2.0 as src/domain/tlp.ts maps it):
 * markings received from anyone, and markings received within the desk's own sectors (operator
 * reports only). 'all': the center's analysts see every record.
 */
const REACH: Record<Role, 'all' | { anyTlps: readonly Tlp[]; sectorTlps: readonly Tlp[] }> = {
  center_analyst: 'all',
  // Admins see what the center sees except RED, which is for named recipients only.
  admin: { anyTlps: tlpLevelsFor('admins'), sectorTlps: [] },
  sector_desk: { anyTlps: tlpLevelsFor('community'), sectorTlps: tlpLevelsFor('sectorDesks') },
  operator: { anyTlps: tlpLevelsFor('community'), sectorTlps: [] },
};

/**
 * The actor's rule. Each branch fixes one indexed column (organisation, one TLP marking, one sector),
 * so that the list can answer each from its own (column, first_received_at, id) index in order.
 */
export function visibilityOf(actor: Actor): Visibility {
  const reach = REACH[actor.role];
  if (reach === 'all') return EVERYTHING;
  const own: Branch = [{ column: 'organization_id', in: [actor.organizationId] }];
  const byTlp = reach.anyTlps.map((tlp): Branch => [{ column: 'tlp', in: [tlp] }, ...SHARED]);
  const bySector =
    reach.sectorTlps.length === 0
      ? []
      : actor.sectors.map((sector): Branch => [
          { column: 'channel', in: ['operator_report'] },
          { column: 'sector', in: [sector] },
          { column: 'tlp', in: reach.sectorTlps },
          ...SHARED,
        ]);
  return { branches: [own, ...byTlp, ...bySector] };
}

/** Whether the actor's rule admits every record (the center's analysts). */
export function seesAllRecords(actor: Actor): boolean {
  return visibilityOf(actor).branches.some((b) => b.length === 0);
}

/** Every column the rule reads: what a caller must select to check a record in memory. */
export const RULE_COLUMNS = [
  'organization_id',
  'tlp',
  'channel',
  'sector',
  'state',
] as const satisfies readonly RuleColumn[];

/** A record as the rule reads it: its `incidents` columns. A column the rule needs but absent: unseen. */
export type VisibleRecord = Partial<Record<RuleColumn, unknown>>;

export function matchesBranch(branch: Branch, record: VisibleRecord): boolean {
  return branch.every((c) => c.in.includes(record[c.column] as string | number));
}

/** The in-memory predicate of the rule. */
export function canSee(actor: Actor, record: VisibleRecord): boolean {
  return visibilityOf(actor).branches.some((b) => matchesBranch(b, record));
}

/** Whether a branch can match a record whose `column` equals `value` (the list skips the others). */
export function branchAdmits(branch: Branch, column: RuleColumn, value: string | number): boolean {
  return branch.every((c) => c.column !== column || c.in.includes(value));
}

/** One branch as SQL over the `incidents` table (one value: `=`, so each database uses its index). */
export function branchSql(branch: Branch): Expression<SqlBool> {
  if (branch.length === 0) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(${sql.join(
    branch.map((c) => {
      const column = sql.ref(`incidents.${c.column}`);
      if (c.in.length === 0) return sql`1 = 0`;
      return c.in.length === 1 ? sql`${column} = ${c.in[0]}` : sql`${column} in (${sql.join(c.in)})`;
    }),
    sql` and `,
  )})`;
}

/** The whole rule as SQL over `incidents`. */
export function visibilitySql(visibility: Visibility): Expression<SqlBool> {
  if (visibility.branches.length === 0) return sql<SqlBool>`1 = 0`;
  if (visibility.branches.some((b) => b.length === 0)) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(${sql.join(visibility.branches.map(branchSql), sql` or `)})`;
}
