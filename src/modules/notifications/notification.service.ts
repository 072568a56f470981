import type { Kysely } from 'kysely';
import type { Actor } from '../../access/index.js';
import { visibilitySql, visibilityOf } from '../../access/index.js';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { Tlp } from '../../domain/tlp.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { NotificationKind } from './notification.fanout.js';
import type { MailOutbox } from './notification.outbox.js';
import type {
  MarkReadAnswer,
  MarkReadBody,
  NotificationList,
  NotificationListQuery,
  NotificationSettings,
  NotificationSettingsBody,
} from './notification.schema.js';

/**
 * A user's own notifications. Only those about incidents the user still sees are listed and
 * counted (a rejected record leaves the desks' view, and its notification with it): a notification
 * never names a record its reader may not see.
 */
export class NotificationService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    readonly outbox: MailOutbox,
  ) {}

  private mine(db: Kysely<DB>, actor: Actor) {
    return db
      .selectFrom('notifications as n')
      .innerJoin('incidents', 'incidents.id', 'n.incident_id')
      .where('n.user_id', '=', actor.userId)
      .where(visibilitySql(visibilityOf(actor)));
  }

  async list(actor: Actor, query: NotificationListQuery): Promise<NotificationList> {
    let q = this.mine(this.database.db, actor)
      .select(['n.id', 'n.kind', 'n.incident_id', 'n.message_id', 'n.created_at', 'n.read_at'])
      .select(['incidents.ref', 'incidents.tlp']);
    if (query.before !== undefined) q = q.where('n.id', '<', query.before);
    if (query.unread === 'true') q = q.where('n.read_at', 'is', null);
    const rows = await q
      .orderBy('n.id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        kind: r.kind as NotificationKind,
        incident: { id: r.incident_id, ref: r.ref, tlp: r.tlp as Tlp },
        message_id: r.message_id,
        created_at: r.created_at,
        read_at: r.read_at,
      })),
      unread: await this.unread(actor),
      next_before: rows.length > query.limit ? page[page.length - 1]!.id : null,
    };
  }

  async unread(actor: Actor, db: Kysely<DB> = this.database.db): Promise<number> {
    const row = await this.mine(db, actor)
      .where('n.read_at', 'is', null)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Marks the caller's own notifications read (ids of others' are ignored: they are not "yours"). */
  async markRead(actor: Actor, body: MarkReadBody): Promise<MarkReadAnswer> {
    return inTransaction(this.database, async (trx) => {
      const now = new Date().toISOString();
      let q = trx
        .updateTable('notifications')
        .set({ read_at: now })
        .where('user_id', '=', actor.userId)
        .where('read_at', 'is', null);
      if (body.ids) q = q.where('id', 'in', body.ids);
      const marked = Number((await q.executeTakeFirst()).numUpdatedRows);
      if (marked > 0)
        await this.audit.append(trx, whoOf(actor), {
          action: 'notifications.read',
          objectType: 'notification',
          details: body.ids ? { ids: body.ids, marked } : { all: true, marked },
        });
      return { marked, unread: await this.unread(actor, trx) };
    });
  }

  /** Marks the caller's notifications about one incident read (it opened the conversation). */
  async markIncidentRead(trx: Kysely<DB>, userId: number, incidentId: number, now: string): Promise<number> {
    const result = await trx
      .updateTable('notifications')
      .set({ read_at: now })
      .where('user_id', '=', userId)
      .where('incident_id', '=', incidentId)
      .where('read_at', 'is', null)
      .where('kind', '<>', 'new_report')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async settings(actor: Actor): Promise<NotificationSettings> {
    const row = await this.database.db
      .selectFrom('notification_settings')
      .select(['language', 'mail'])
      .where('user_id', '=', actor.userId)
      .executeTakeFirst();
    return {
      language: row?.language === 'en' ? 'en' : 'ja',
      mail: (row?.mail ?? 1) === 1,
      mail_configured: this.outbox.configured,
    };
  }

  async updateSettings(actor: Actor, body: NotificationSettingsBody): Promise<NotificationSettings> {
    await inTransaction(this.database, async (trx) => {
      const now = new Date().toISOString();
      const values = { language: body.language, mail: body.mail ? 1 : 0, updated_at: now };
      await trx
        .insertInto('notification_settings')
        .values({ user_id: actor.userId, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute();
      await this.audit.append(trx, whoOf(actor), {
        action: 'notifications.settings',
        objectType: 'user',
        objectId: actor.userId,
        details: { language: body.language, mail: body.mail },
      });
    });
    return this.settings(actor);
  }
}
