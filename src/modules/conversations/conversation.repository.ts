import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../../access/index.js';
import {
  audienceMembersSql,
  conversationReach,
  RULE_COLUMNS,
  visibilityOf,
  visibilitySql,
} from '../../access/index.js';
import type { Dialect } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';

/** An incident as the conversation rule reads it, through the caller's visibility (else undefined). */
export function incidentFor(db: Kysely<DB>, dialect: Dialect, actor: Actor, id: number) {
  // Every column the rule reads, and the audience members: the in-memory checks (the caller's,
  // and each recipient's in the notification fan-out) need them to decide as the SQL did.
  return db
    .selectFrom('incidents')
    .select(['id', 'ref', ...RULE_COLUMNS])
    .select(audienceMembersSql(dialect).as('audience_members'))
    .where(visibilitySql(visibilityOf(actor)))
    .where('id', '=', id)
    .executeTakeFirst();
}
export type ConversationIncident = NonNullable<Awaited<ReturnType<typeof incidentFor>>>;

export function messagesOf(db: Kysely<DB>, incidentId: number, after: number, limit: number) {
  return db
    .selectFrom('incident_messages as m')
    .innerJoin('users as u', 'u.id', 'm.author_user_id')
    .innerJoin('organizations as o', 'o.id', 'm.author_organization_id')
    .select(['m.id', 'm.incident_id', 'm.author_user_id', 'm.author_role', 'm.author_side', 'm.tlp'])
    .select(['m.body', 'm.created_at', 'u.email', 'o.name as organization'])
    .where('m.incident_id', '=', incidentId)
    .where('m.id', '>', after)
    .orderBy('m.id')
    .limit(limit)
    .execute();
}

export async function readMarkerOf(db: Kysely<DB>, userId: number, incidentId: number): Promise<number> {
  const row = await db
    .selectFrom('conversation_reads')
    .select('last_read_id')
    .where('user_id', '=', userId)
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return row?.last_read_id ?? 0;
}

/** Moves the read marker forward only (a late request naming an older message never moves it back). */
export async function moveReadMarker(
  db: Kysely<DB>,
  userId: number,
  incidentId: number,
  lastReadId: number,
  now: string,
): Promise<void> {
  await db
    .insertInto('conversation_reads')
    .values({ user_id: userId, incident_id: incidentId, last_read_id: lastReadId, read_at: now })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'incident_id'])
        .doUpdateSet({ last_read_id: lastReadId, read_at: now })
        .where('conversation_reads.last_read_id', '<', lastReadId),
    )
    .execute();
}

export async function lastMessageId(db: Kysely<DB>, incidentId: number): Promise<number> {
  const row = await db
    .selectFrom('incident_messages')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Others' messages after the user's marker in one incident. */
export async function unreadIn(db: Kysely<DB>, userId: number, incidentId: number, after: number) {
  const row = await db
    .selectFrom('incident_messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('incident_id', '=', incidentId)
    .where('id', '>', after)
    .where('author_user_id', '<>', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Others' unread messages in every conversation the actor takes part in (both rules as SQL). */
function unreadMessages(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('incident_messages as m')
    .innerJoin('incidents', 'incidents.id', 'm.incident_id')
    .leftJoin('conversation_reads as r', (join) =>
      join.onRef('r.incident_id', '=', 'm.incident_id').on('r.user_id', '=', actor.userId),
    )
    .where(visibilitySql(visibilityOf(actor)))
    .where(visibilitySql(conversationReach(actor)))
    .where('m.author_user_id', '<>', actor.userId)
    .where(sql<boolean>`m.id > coalesce(r.last_read_id, 0)`);
}

export async function unreadTotal(db: Kysely<DB>, actor: Actor) {
  const [total, rows] = await Promise.all([
    unreadMessages(db, actor)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
    unreadMessages(db, actor)
      .select(['m.incident_id', 'incidents.ref'])
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('m.id').as('latest')])
      .groupBy(['m.incident_id', 'incidents.ref'])
      .orderBy('latest', 'desc')
      .limit(100)
      .execute(),
  ]);
  return {
    total: Number(total.n),
    incidents: rows.map((r) => ({ incident_id: r.incident_id, ref: r.ref, unread: Number(r.n) })),
  };
}
