import type { Kysely } from 'kysely';
import type { Actor } from '../../access/index.js';
import { audienceMembersSql, RULE_COLUMNS, visibilityOf, visibilitySql } from '../../access/index.js';
import type { Dialect } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import type { AdvisoryKind, Audience } from './advisory.schema.js';

/** An audience as the access rule's members: `all`, `sector:<code>`, `org:<id>`. */
export function membersOf(audience: Audience): string[] {
  return [
    ...(audience.everyone ? ['all'] : []),
    ...[...new Set(audience.sectors)].map((s) => `sector:${s}`),
    ...[...new Set(audience.organizations)].map((id) => `org:${id}`),
  ];
}

/** An advisory as read for one caller: through its visibility, with its organisation's receipt. */
export function advisoryQuery(db: Kysely<DB>, dialect: Dialect, actor: Actor) {
  return db
    .selectFrom('advisories as a')
    .innerJoin('incidents', 'incidents.id', 'a.incident_id')
    .innerJoin('advisory_revisions as r', (j) =>
      j.onRef('r.advisory_id', '=', 'a.id').onRef('r.revision', '=', 'a.revision'),
    )
    .leftJoin('organizations as o', 'o.id', 'incidents.organization_id')
    .leftJoin('advisory_receipts as rc', (j) =>
      j.onRef('rc.advisory_id', '=', 'a.id').on('rc.organization_id', '=', actor.organizationId),
    )
    .select(['a.id', 'a.incident_id', 'a.kind', 'a.severity', 'a.revision', 'a.created_at', 'a.updated_at'])
    .select(RULE_COLUMNS.map((c) => `incidents.${c}` as const))
    .select(['incidents.ref', 'incidents.source', 'incidents.first_received_at'])
    .select(audienceMembersSql(dialect).as('audience_members'))
    .select(['r.content', 'r.audience as audience_json', 'o.name as author_organization'])
    .select(['rc.organization_id as receipt_organization', 'rc.read_at', 'rc.acknowledged_at'])
    .select(['rc.action_status', 'rc.action_note'])
    .where(visibilitySql(visibilityOf(actor)));
}
export type AdvisoryRecord = NonNullable<
  Awaited<ReturnType<ReturnType<typeof advisoryQuery>['executeTakeFirst']>>
>;

export function findAdvisory(db: Kysely<DB>, dialect: Dialect, actor: Actor, id: number) {
  return advisoryQuery(db, dialect, actor).where('a.id', '=', id).executeTakeFirst();
}

export interface ListOptions {
  kind?: AdvisoryKind;
  incidentId?: number;
  unread?: boolean;
  beforeId?: number;
  limit: number;
}

export function listAdvisories(db: Kysely<DB>, dialect: Dialect, actor: Actor, o: ListOptions) {
  let q = advisoryQuery(db, dialect, actor);
  if (o.kind) q = q.where('a.kind', '=', o.kind);
  if (o.incidentId !== undefined) q = q.where('a.incident_id', '=', o.incidentId);
  if (o.unread) q = q.where('rc.organization_id', 'is not', null).where('rc.read_at', 'is', null);
  if (o.beforeId !== undefined) q = q.where('a.id', '<', o.beforeId);
  return q
    .orderBy('a.id', 'desc')
    .limit(o.limit + 1)
    .execute();
}

/** The organisations an audience reaches (their sector, their id, or everyone), less `except`. */
export async function recipientOrganizations(
  trx: Kysely<DB>,
  audience: Audience,
  except: number,
): Promise<number[]> {
  if (!audience.everyone && audience.sectors.length === 0 && audience.organizations.length === 0) return [];
  let q = trx.selectFrom('organizations').select('id').where('id', '<>', except);
  if (!audience.everyone)
    q = q.where((eb) =>
      eb.or([
        ...(audience.sectors.length > 0 ? [eb('sector', 'in', audience.sectors)] : []),
        ...(audience.organizations.length > 0 ? [eb('id', 'in', audience.organizations)] : []),
      ]),
    );
  return (await q.orderBy('id').execute()).map((r) => r.id);
}

/**
 * Makes the receipts of the organisations among `organizations` that have none yet (those the
 * advisory now reaches for the first time), and answers their ids.
 */
export async function addReceipts(
  trx: Kysely<DB>,
  advisoryId: number,
  organizations: readonly number[],
  now: string,
): Promise<number[]> {
  if (organizations.length === 0) return [];
  const have = new Set(
    (
      await trx
        .selectFrom('advisory_receipts')
        .select('organization_id')
        .where('advisory_id', '=', advisoryId)
        .execute()
    ).map((r) => r.organization_id),
  );
  const fresh = organizations.filter((id) => !have.has(id));
  if (fresh.length > 0)
    await trx
      .insertInto('advisory_receipts')
      .values(fresh.map((organization_id) => ({ advisory_id: advisoryId, organization_id, created_at: now })))
      .execute();
  return fresh;
}

/** Replaces an addressed record's members. */
export async function setMembers(trx: Kysely<DB>, incidentId: number, members: readonly string[]) {
  await trx.deleteFrom('record_audience').where('incident_id', '=', incidentId).execute();
  if (members.length > 0)
    await trx
      .insertInto('record_audience')
      .values(members.map((member) => ({ incident_id: incidentId, member })))
      .execute();
}

/** The follow-up rows: every recipient organisation's receipt, with who read, acknowledged, acted. */
export function receiptsOf(db: Kysely<DB>, advisoryId: number) {
  return db
    .selectFrom('advisory_receipts as rc')
    .innerJoin('organizations as o', 'o.id', 'rc.organization_id')
    .leftJoin('users as ur', 'ur.id', 'rc.read_by')
    .leftJoin('users as ua', 'ua.id', 'rc.acknowledged_by')
    .select(['rc.organization_id as id', 'o.name', 'o.sector', 'rc.read_at', 'rc.acknowledged_at'])
    .select(['ur.email as read_by', 'ua.email as acknowledged_by'])
    .select(['rc.action_status', 'rc.action_note', 'rc.action_at'])
    .where('rc.advisory_id', '=', advisoryId)
    .orderBy('o.sector')
    .orderBy('o.name')
    .execute();
}
