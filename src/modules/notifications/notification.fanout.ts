import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../../access/index.js';
import { actorOfUser, conversationSide, reachesSectorDesks, seesEverything } from '../../access/index.js';
import type { DerivedRows } from '../../platform/db/dialect.js';
import type { DB, IncidentTable } from '../../platform/db/schema.js';

/** Who is told what: the notifications' kinds. */
export const NOTIFICATION_KINDS = [
  'new_report',
  'question',
  'answer',
  'message',
  // Advisories: a new (or newly reaching) advisory, and the center's reminder to act on one.
  'advisory',
  'advisory_reminder',
  // Reporting duties (issue 15): a stage falls due soon, a stage is past its due time.
  'obligation_due',
  'obligation_overdue',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const COLUMNS = ['user_id', 'kind', 'incident_id', 'created_at', 'mail_state', 'mail_next_at'] as const;

/**
 * A new report's notifications for the desks of its sector, as ONE insert-select (inside the
 * report's statement on PostgreSQL, its transaction elsewhere): the report path is benchmarked, so
 * no recipient is read into the process. Null, and no statement at all, where the report does not
 * reach the sector's desks (its channel or TLP); a sector without desk users inserts nothing.
 * `mail`: whether mail is configured; the user's own setting decides the rest.
 */
export function newReportFanOut(
  incident: { channel: string; sector: string | null; tlp: string },
  now: string,
  mail: boolean,
): DerivedRows | null {
  if (!reachesSectorDesks(incident)) return null;
  const mailState = mail ? "case when coalesce(s.mail, 1) = 1 then 'pending' end" : 'cast(null as text)';
  return {
    table: 'notifications',
    columns: COLUMNS,
    select: `select us.user_id, 'new_report', cast({id} as integer), cast(? as text), ${mailState}, cast(? as text)
      from user_sectors us join users u on u.id = us.user_id
      left join notification_settings s on s.user_id = us.user_id
      where us.sector = ? and u.role = 'sector_desk' and u.disabled_at is null`,
    values: [now, now, incident.sector],
  };
}

interface Candidate {
  id: number;
  email: string;
  organization_id: number;
  role: string;
  mail: number | null;
}

type MessageIncident = Pick<IncidentTable, 'organization_id' | 'channel' | 'sector'> & {
  id: number;
  tlp: string;
  state: string;
  audience: string;
  audience_members: string | null;
};

/**
 * A message's notifications, in the message's transaction: the reporting organisation's users hear
 * from the center and the desk (a question); the center hears from the reporter and the desk (an
 * answer): those of the center who wrote in this conversation (who asked), or, before anyone of
 * the center has, every center analyst. Each recipient is checked against the conversation rule
 * as a stored user, so no one is told of a conversation it may not read. The author never is.
 */
export async function notifyOfMessage(
  trx: Kysely<DB>,
  author: Actor,
  incident: MessageIncident,
  messageId: number,
  now: string,
  mail: boolean,
): Promise<number> {
  const authorIsCenter = seesEverything(author);
  const authorIsReporter = !authorIsCenter && incident.organization_id === author.organizationId;
  const kind: NotificationKind = authorIsCenter ? 'question' : authorIsReporter ? 'answer' : 'message';
  const candidates: Candidate[] = [];
  const users = () =>
    trx
      .selectFrom('users as u')
      .leftJoin('notification_settings as s', 's.user_id', 'u.id')
      .select(['u.id', 'u.email', 'u.organization_id', 'u.role', 's.mail'])
      .where('u.disabled_at', 'is', null)
      .where('u.id', '<>', author.userId);
  if (!authorIsReporter && incident.organization_id !== null)
    candidates.push(...(await users().where('u.organization_id', '=', incident.organization_id).execute()));
  if (!authorIsCenter) {
    const asked = await users()
      .where('u.role', 'in', ['center_analyst', 'admin'])
      .where('u.id', 'in', (eb) =>
        eb
          .selectFrom('incident_messages')
          .select('author_user_id')
          .where('incident_id', '=', incident.id)
          .where('author_side', '=', 'center'),
      )
      .execute();
    candidates.push(
      ...(asked.length > 0 ? asked : await users().where('u.role', '=', 'center_analyst').execute()),
    );
  }
  const seen = new Set<number>();
  const rows = [];
  for (const c of candidates) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    const sectors = c.role === 'sector_desk' ? await sectorsOf(trx, c.id) : [];
    if (!conversationSide(actorOfUser({ ...c, sectors }), incident)) continue;
    rows.push({
      user_id: c.id,
      kind,
      incident_id: incident.id,
      message_id: messageId,
      created_at: now,
      mail_state: mail && (c.mail ?? 1) === 1 ? 'pending' : null,
      mail_next_at: now,
    });
  }
  if (rows.length > 0) await trx.insertInto('notifications').values(rows).execute();
  return rows.length;
}

async function sectorsOf(trx: Kysely<DB>, userId: number): Promise<string[]> {
  const rows = await trx.selectFrom('user_sectors').select('sector').where('user_id', '=', userId).execute();
  return rows.map((r) => r.sector);
}

/**
 * One notification per active user of each organisation, with mail where configured and the
 * user has not turned it off (one insert-select). Answers how many users were notified.
 */
export async function notifyOrganizations(
  trx: Kysely<DB>,
  kind: NotificationKind,
  incidentId: number,
  organizations: readonly number[],
  now: string,
  mail: boolean,
): Promise<number> {
  if (organizations.length === 0) return 0;
  const mailState = mail
    ? sql`case when coalesce(s.mail, 1) = 1 then 'pending' end`
    : sql`cast(null as text)`;
  const result =
    await sql`insert into notifications (user_id, kind, incident_id, created_at, mail_state, mail_next_at)
    select u.id, ${kind}, ${incidentId}, ${now}, ${mailState}, ${now}
    from users u left join notification_settings s on s.user_id = u.id
    where u.organization_id in (${sql.join(organizations)}) and u.disabled_at is null`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
