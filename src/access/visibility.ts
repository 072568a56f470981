import type { Expression, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../platform/db/dialect.js';
import type { IncidentTable } from '../platform/db/schema.js';
import type { Tlp } from '../domain/tlp.js';
import { tlpLevelsFor } from '../domain/tlp.js';
import type { Actor, Role } from './actor.js';

/**
 * THE visibility rule: which records an actor may see, written once as data. A rule is a list of
 * alternative branches; a branch is a conjunction of conditions on columns of `incidents` and on
 * the record's audience members (`record_audience`, for addressed records). The SQL filter
 * (`visibilitySql`, and the list's one-index-per-branch merge in the repository) and the in-memory
 * predicate (`canSee`) are both produced from it, so they cannot disagree.
 */
export type RuleColumn = keyof IncidentTable;
export interface ColumnCondition {
  column: RuleColumn;
  /** The record's value of `column` must be one of these. */
  in: readonly (string | number)[];
}
/** One of the record's audience members (`all`, `sector:<code>`, `org:<id>`) must be one of these. */
export interface MemberCondition {
  member: readonly string[];
}
export type Condition = ColumnCondition | MemberCondition;
export type Branch = readonly Condition[];

const isColumn = (c: Condition): c is ColumnCondition => 'column' in c;
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

/** Records that reach others by their TLP marking (not addressed to named members). */
const COMMUNITY: Condition = { column: 'audience', in: ['community'] };
const ADDRESSED: Condition = { column: 'audience', in: ['addressed'] };

/** Markings an addressed record carries to its members; RED goes to a named organisation only. */
const ADDRESSED_TLPS: readonly Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'];

/**
 * The audience members an actor answers to: everyone, each sector of its organisation (and, for a
 * desk, each sector it reads), and its own organisation.
 */
export function memberKeysOf(actor: Actor): { all: string[]; organization: string } {
  const sectors = new Set([...(actor.organizationSectors ?? []), ...actor.sectors]);
  const organization = `org:${actor.organizationId}`;
  return { all: ['all', ...[...sectors].map((s) => `sector:${s}`), organization], organization };
}

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
  // Admins see what the center sees except RED, addressed or not (they administer, they are not
  // recipients): their TLP branches take no audience condition.
  const community = actor.role === 'admin' ? [] : [COMMUNITY];
  const byTlp = reach.anyTlps.map((tlp): Branch => [{ column: 'tlp', in: [tlp] }, ...community, ...SHARED]);
  const bySector =
    reach.sectorTlps.length === 0
      ? []
      : actor.sectors.map((sector): Branch => [
          { column: 'channel', in: ['operator_report'] },
          { column: 'sector', in: [sector] },
          { column: 'tlp', in: reach.sectorTlps },
          COMMUNITY,
          ...SHARED,
        ]);
  if (actor.role === 'admin') return { branches: [own, ...byTlp] };
  const keys = memberKeysOf(actor);
  const addressed: Branch[] = [
    [ADDRESSED, { column: 'tlp', in: ADDRESSED_TLPS }, { member: keys.all }, ...SHARED],
    [ADDRESSED, { column: 'tlp', in: ['RED'] }, { member: [keys.organization] }, ...SHARED],
  ];
  return { branches: [own, ...byTlp, ...bySector, ...addressed] };
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
  'audience',
] as const satisfies readonly RuleColumn[];

/**
 * A record as the rule reads it: its `incidents` columns, and for an addressed record its audience
 * members (`audience_members`: as `audienceMembersSql` selects them, space-separated, or a list).
 * A column the rule needs but absent: unseen (so is an addressed record read without its members).
 */
export type VisibleRecord = Partial<Record<RuleColumn, unknown>> & {
  audience_members?: string | readonly string[] | null;
};

function membersOf(record: VisibleRecord): readonly string[] {
  const m = record.audience_members;
  if (m === undefined || m === null) return [];
  return typeof m === 'string' ? m.split(' ') : m;
}

/**
 * A record's value of a rule column. A column the caller did not select is undefined and matches
 * no condition: a reader that forgets `audience` sees less, never an addressed record as news.
 */
const valueOf = (record: VisibleRecord, column: RuleColumn) => record[column] as string | number;

export function matchesBranch(branch: Branch, record: VisibleRecord): boolean {
  return branch.every((c) =>
    isColumn(c)
      ? c.in.includes(valueOf(record, c.column))
      : membersOf(record).some((m) => c.member.includes(m)),
  );
}

/**
 * The record's audience members as one text (space-separated; null: none), for a reader that
 * checks records in memory: select it `as('audience_members')` beside the rule's columns.
 */
export function audienceMembersSql(dialect: Dialect) {
  return sql<
    string | null
  >`(select ${dialect.joinText(sql.ref('record_audience.member'), ' ')} from record_audience where record_audience.incident_id = incidents.id)`;
}

/** The in-memory predicate of the rule. */
export function canSee(actor: Actor, record: VisibleRecord): boolean {
  return visibilityOf(actor).branches.some((b) => matchesBranch(b, record));
}

/** Whether a branch can match a record whose `column` equals `value` (the list skips the others). */
export function branchAdmits(branch: Branch, column: RuleColumn, value: string | number): boolean {
  return branch.every((c) => !isColumn(c) || c.column !== column || c.in.includes(value));
}

/** One branch as SQL over the `incidents` table (one value: `=`, so each database uses its index). */
export function branchSql(branch: Branch): Expression<SqlBool> {
  if (branch.length === 0) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(${sql.join(
    branch.map((c) => {
      if (!isColumn(c)) {
        if (c.member.length === 0) return sql`1 = 0`;
        return sql`exists (select 1 from record_audience where record_audience.incident_id = incidents.id and record_audience.member in (${sql.join(c.member)}))`;
      }
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
