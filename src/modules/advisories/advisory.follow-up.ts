import type { Actor } from '../../access/index.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction, onCommit } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { MailOutbox } from '../notifications/index.js';
import type { AdvisoryRecord } from './advisory.repository.js';
import { notifyOrganizations } from '../notifications/index.js';
import { findAdvisory, receiptsOf } from './advisory.repository.js';
import type {
  ActionStatus,
  AdvisoryContent,
  AdvisoryView,
  Audience,
  FollowUp,
  ReminderAnswer,
  RevisionList,
} from './advisory.schema.js';
import type { Tlp } from '../../domain/tlp.js';

export interface FollowUpDeps {
  database: Database;
  audit: AuditService;
  outbox: Pick<MailOutbox, 'configured' | 'kick'>;
}

/** The center's advisory (agency shares have no recipients to follow up), else not found / conflict. */
async function centerAdvisory(deps: FollowUpDeps, actor: Actor, id: number, db = deps.database.db) {
  const a = await findAdvisory(db, deps.database.dialect, actor, id);
  if (!a) throw notFound();
  if (a.kind !== 'advisory') throw new AppError('conflict', 'an agency share has no recipients to follow up');
  return a;
}

/** Who of the recipients has read, acknowledged and acted, per sector, with the totals. */
export async function followUp(
  deps: FollowUpDeps,
  actor: Actor,
  id: number,
  present: (a: AdvisoryRecord) => AdvisoryView,
): Promise<FollowUp> {
  const a = await centerAdvisory(deps, actor, id);
  const rows = await receiptsOf(deps.database.db, id);
  const sectors = new Map<string | null, FollowUp['sectors'][number]['organizations']>();
  for (const r of rows) {
    const list = sectors.get(r.sector) ?? [];
    list.push({
      id: r.id,
      name: r.name,
      read_at: r.read_at,
      read_by: r.read_by,
      acknowledged_at: r.acknowledged_at,
      acknowledged_by: r.acknowledged_by,
      action_status: r.action_status as ActionStatus | null,
      action_note: r.action_note,
      action_at: r.action_at,
    });
    sectors.set(r.sector, list);
  }
  await deps.audit.record(whoOf(actor), {
    action: 'advisory.follow_up',
    objectType: 'advisory',
    objectId: id,
  });
  return {
    advisory: present(a),
    totals: {
      recipients: rows.length,
      read: rows.filter((r) => r.read_at !== null).length,
      acknowledged: rows.filter((r) => r.acknowledged_at !== null).length,
      acted: rows.filter((r) => r.action_status !== null).length,
    },
    sectors: [...sectors].map(([sector, organizations]) => ({ sector, organizations })),
  };
}

/** A reminder to every user of the organisations that have not acknowledged (or not acted). */
export async function remind(
  deps: FollowUpDeps,
  actor: Actor,
  id: number,
  to: 'unacknowledged' | 'no_action',
): Promise<ReminderAnswer> {
  return inTransaction(deps.database, async (trx) => {
    const a = await centerAdvisory(deps, actor, id, trx);
    const column = to === 'unacknowledged' ? 'acknowledged_at' : 'action_status';
    const organizations = (
      await trx
        .selectFrom('advisory_receipts')
        .select('organization_id')
        .where('advisory_id', '=', id)
        .where(column, 'is', null)
        .orderBy('organization_id')
        .execute()
    ).map((r) => r.organization_id);
    const now = new Date().toISOString();
    const users = await notifyOrganizations(
      trx,
      'advisory_reminder',
      a.incident_id,
      organizations,
      now,
      deps.outbox.configured,
    );
    if (users > 0) onCommit(trx, () => deps.outbox.kick());
    await deps.audit.append(trx, whoOf(actor), {
      action: 'advisory.remind',
      objectType: 'advisory',
      objectId: id,
      details: { to, organizations, users },
    });
    return { organizations: organizations.length, users };
  });
}

/** Every revision, newest first (what it said, to whom, under which marking, by whom). */
export async function revisions(deps: FollowUpDeps, actor: Actor, id: number): Promise<RevisionList> {
  const a = await findAdvisory(deps.database.db, deps.database.dialect, actor, id);
  if (!a) throw notFound();
  const rows = await deps.database.db
    .selectFrom('advisory_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.author_user_id')
    .select(['r.revision', 'r.tlp', 'r.audience', 'r.content', 'r.at', 'u.email'])
    .where('r.advisory_id', '=', id)
    .orderBy('r.revision', 'desc')
    .execute();
  return {
    items: rows.map((r) => ({
      revision: r.revision,
      tlp: r.tlp as Tlp,
      audience: JSON.parse(r.audience) as Audience,
      content: JSON.parse(r.content) as AdvisoryContent,
      author: r.email,
      at: r.at,
    })),
  };
}
