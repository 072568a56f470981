import type { Actor } from '../../access/index.js';
import { visibilityOf, visibilitySql } from '../../access/index.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { onCommit } from '../../platform/db/commit-hooks.js';
import type { Tlp } from '../../domain/tlp.js';
import type { AuditService } from '../audit/index.js';
import type { MailOutbox } from '../notifications/index.js';
import { notifyOrganizations } from '../notifications/index.js';
import type { RegimeCatalog } from '../regimes/index.js';
import type { DutyContext } from './obligation.context.js';
import { dutyOf, loadContexts } from './obligation.context.js';
import type { Deadlines, DeadlinesQuery } from './obligation.schema.js';

/** How long before a due time the reporter is reminded (once per stage), and again once it has passed. */
export const REMINDER_LEAD_MS = 24 * 3600_000;

interface OpenStage {
  ctx: DutyContext;
  regime: { code: string; name: { ja: string; en: string } };
  stage: { code: string; name: { ja: string; en: string } };
  due: number;
}

/**
 * The open stages with a due time of the confirmed duties of the records `where` admits, still
 * received (a rejected or withdrawn record owes nothing through kyoyu).
 */
async function openStages(
  database: Database,
  regimes: RegimeCatalog,
  actor: Actor | null,
  sector: string | undefined,
  now: number,
): Promise<OpenStage[]> {
  let q = database.db
    .selectFrom('incident_obligations as d')
    .innerJoin('incidents', 'incidents.id', 'd.incident_id')
    .select('d.incident_id')
    .distinct()
    .where('d.status', '=', 'confirmed')
    .where('incidents.state', '=', 'received');
  if (actor) q = q.where(visibilitySql(visibilityOf(actor)));
  if (sector !== undefined) q = q.where('incidents.sector', '=', sector);
  const ids = (await q.execute()).map((r) => r.incident_id);
  const contexts = await loadContexts(database.db, ids);
  const catalog = await regimes.list();
  const out: OpenStage[] = [];
  for (const ctx of contexts.values())
    for (const [code, decision] of ctx.decisions) {
      if (decision.status !== 'confirmed') continue;
      const regime = catalog.find((r) => r.code === code && r.version === decision.regime_version);
      if (!regime) continue;
      const duty = dutyOf(regime, ctx, true, now);
      for (const s of duty.stages)
        if ((s.state === 'due' || s.state === 'overdue') && s.due_at !== null)
          out.push({
            ctx,
            regime: { code, name: regime.name },
            stage: { code: s.code, name: s.name },
            due: Date.parse(s.due_at),
          });
    }
  return out.sort((a, b) => a.due - b.due || a.ctx.incident.id - b.ctx.incident.id);
}

/**
 * The overdue view: what is past its due time and what falls due soon, among the records the
 * caller sees (the center: all; a sector desk: its sectors'; an operator: its own).
 */
export async function deadlines(
  database: Database,
  regimes: RegimeCatalog,
  actor: Actor,
  query: DeadlinesQuery,
): Promise<Deadlines> {
  const now = Date.now();
  const open = await openStages(database, regimes, actor, query.sector, now);
  const item = (o: OpenStage) => ({
    incident: {
      id: o.ctx.incident.id,
      ref: o.ctx.incident.ref,
      title: o.ctx.incident.title,
      sector: o.ctx.incident.sector,
      organization: o.ctx.incident.organization,
      tlp: o.ctx.incident.tlp as Tlp,
    },
    regime: o.regime,
    stage: o.stage,
    due_at: new Date(o.due).toISOString(),
  });
  return {
    as_of: new Date(now).toISOString(),
    overdue: open.filter((o) => o.due < now).map(item),
    due_soon: open.filter((o) => o.due >= now && o.due <= now + query.soon_hours * 3600_000).map(item),
  };
}

/**
 * Reminds the reporting organisation's users of each open stage once it is due within a day, and
 * once more when it has passed; each reminder is sent once (obligation_reminders). Answers how
 * many reminders went out. Run every minute by the server.
 */
export async function sendReminders(
  database: Database,
  regimes: RegimeCatalog,
  audit: AuditService,
  outbox: MailOutbox,
  now = Date.now(),
): Promise<number> {
  const open = await openStages(database, regimes, null, undefined, now);
  const wanted = open
    .filter((o) => o.ctx.incident.organization_id !== null && o.due - REMINDER_LEAD_MS <= now)
    .map((o) => ({ ...o, kind: o.due < now ? ('overdue' as const) : ('due_soon' as const) }));
  if (wanted.length === 0) return 0;
  return inTransaction(database, async (trx) => {
    const sent = await trx
      .selectFrom('obligation_reminders')
      .select(['incident_id', 'regime_code', 'stage_code', 'kind'])
      .where('incident_id', 'in', [...new Set(wanted.map((w) => w.ctx.incident.id))])
      .execute();
    const done = new Set(sent.map((s) => `${s.incident_id}/${s.regime_code}/${s.stage_code}/${s.kind}`));
    const at = new Date(now).toISOString();
    let count = 0;
    for (const w of wanted) {
      const key = `${w.ctx.incident.id}/${w.regime.code}/${w.stage.code}/${w.kind}`;
      if (done.has(key)) continue;
      await trx
        .insertInto('obligation_reminders')
        .values({
          incident_id: w.ctx.incident.id,
          regime_code: w.regime.code,
          stage_code: w.stage.code,
          kind: w.kind,
          sent_at: at,
        })
        .execute();
      const users = await notifyOrganizations(
        trx,
        w.kind === 'overdue' ? 'obligation_overdue' : 'obligation_due',
        w.ctx.incident.id,
        [w.ctx.incident.organization_id!],
        at,
        outbox.configured,
      );
      await audit.append(
        trx,
        { userId: null, label: 'system:reminders' },
        {
          action: 'obligation.remind',
          objectType: 'incident',
          objectId: w.ctx.incident.id,
          details: {
            regime: w.regime.code,
            stage: w.stage.code,
            kind: w.kind,
            due_at: new Date(w.due).toISOString(),
            users,
          },
        },
      );
      count++;
    }
    if (count > 0) onCommit(trx, () => outbox.kick());
    return count;
  });
}
