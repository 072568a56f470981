import type { Actor, Role } from '../../access/index.js';
import { authorizeConversation, isAllowed } from '../../access/index.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction, onCommit } from '../../platform/db/transaction.js';
import type { Tlp } from '../../domain/tlp.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { NotificationService } from '../notifications/index.js';
import { notifyOfMessage } from '../notifications/index.js';
import {
  incidentFor,
  lastMessageId,
  messagesOf,
  moveReadMarker,
  readMarkerOf,
  unreadIn,
  unreadTotal,
} from './conversation.repository.js';
import type {
  ConversationQuery,
  ConversationView,
  MessageView,
  ReadMarkerView,
  UnreadTotal,
} from './conversation.schema.js';

type MessageRow = Awaited<ReturnType<typeof messagesOf>>[number];

const viewOf = (row: MessageRow, actor: Actor): MessageView => ({
  id: row.id,
  incident_id: row.incident_id,
  author: {
    email: row.email,
    organization: row.organization,
    role: row.author_role as Role,
    side: row.author_side as MessageView['author']['side'],
  },
  tlp: row.tlp as Tlp,
  body: row.body,
  created_at: row.created_at,
  own: row.author_user_id === actor.userId,
});

/**
 * An incident's conversation. Every request looks the incident up through the caller's visibility
 * and asks the conversation rule (src/access/conversation.ts) before anything else: an unseen or
 * missing incident is 404 alike, a seen one whose conversation the caller takes no part in 403.
 * A message, its notifications, the author's read marker and the audit entry are one transaction;
 * mail goes out after the commit.
 */
export class ConversationService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
  ) {}

  async read(actor: Actor, incidentId: number, query: ConversationQuery): Promise<ConversationView> {
    const { db } = this.database;
    const incident = await incidentFor(db, this.database.dialect, actor, incidentId);
    const side = authorizeConversation(actor, 'read', incident);
    const after = query.after ?? 0;
    const [rows, marker] = await Promise.all([
      messagesOf(db, incidentId, after, query.limit + 1),
      readMarkerOf(db, actor.userId, incidentId),
    ]);
    const page = rows.slice(0, query.limit);
    await this.audit.record(whoOf(actor), {
      action: 'conversation.read',
      objectType: 'incident',
      objectId: incidentId,
      details: { after, returned: page.length },
    });
    return {
      incident: { id: incident!.id, ref: incident!.ref, tlp: incident!.tlp as Tlp },
      side,
      may_write: isAllowed(actor, 'conversations:write'),
      items: page.map((r) => viewOf(r, actor)),
      last_read_id: marker,
      unread: await unreadIn(db, actor.userId, incidentId, marker),
      next_after: rows.length > query.limit ? page[page.length - 1]!.id : null,
    };
  }

  async post(actor: Actor, incidentId: number, body: string): Promise<MessageView> {
    const outbox = this.notifications.outbox;
    const id = await inTransaction(this.database, async (trx) => {
      const incident = await incidentFor(trx, this.database.dialect, actor, incidentId);
      const side = authorizeConversation(actor, 'write', incident);
      const now = new Date().toISOString();
      const { id } = await trx
        .insertInto('incident_messages')
        .values({
          incident_id: incidentId,
          author_user_id: actor.userId,
          author_organization_id: actor.organizationId,
          author_role: actor.role,
          author_side: side,
          tlp: incident!.tlp,
          body,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const notified = await notifyOfMessage(trx, actor, incident!, id, now, outbox.configured);
      // The author has read what it wrote.
      await moveReadMarker(trx, actor.userId, incidentId, id, now);
      await this.audit.append(trx, whoOf(actor), {
        action: 'conversation.message',
        objectType: 'incident',
        objectId: incidentId,
        // The text stays in its table (under the incident's marking), not in the trail.
        details: { message_id: id, side, tlp: incident!.tlp, length: body.length, notified },
      });
      onCommit(trx, () => outbox.kick());
      return id;
    });
    const [row] = await messagesOf(this.database.db, incidentId, id - 1, 1);
    return viewOf(row!, actor);
  }

  /** Moves the caller's read marker (forward only) and marks its notifications about the incident read. */
  async markRead(actor: Actor, incidentId: number, lastReadId: number): Promise<ReadMarkerView> {
    return inTransaction(this.database, async (trx) => {
      const incident = await incidentFor(trx, this.database.dialect, actor, incidentId);
      authorizeConversation(actor, 'write', incident);
      const now = new Date().toISOString();
      // Never past the last message: a marker ahead of the conversation would hide the next one.
      const upTo = Math.min(lastReadId, await lastMessageId(trx, incidentId));
      const before = await readMarkerOf(trx, actor.userId, incidentId);
      if (upTo > before) {
        await moveReadMarker(trx, actor.userId, incidentId, upTo, now);
        const notifications = await this.notifications.markIncidentRead(trx, actor.userId, incidentId, now);
        await this.audit.append(trx, whoOf(actor), {
          action: 'conversation.read_marker',
          objectType: 'incident',
          objectId: incidentId,
          details: { from: before, to: upTo, notifications_read: notifications },
        });
      }
      const marker = Math.max(before, upTo);
      return { last_read_id: marker, unread: await unreadIn(trx, actor.userId, incidentId, marker) };
    });
  }

  unreadTotal(actor: Actor): Promise<UnreadTotal> {
    return unreadTotal(this.database.db, actor);
  }
}
