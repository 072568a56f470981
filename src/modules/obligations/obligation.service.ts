import type { Kysely } from 'kysely';
import type { Actor } from '../../access/index.js';
import { authorize, canSee, isAllowed, seesEverything } from '../../access/index.js';
import { applicableRegimes, regimeDay } from '../../domain/obligations.js';
import type { OrganizationFlag } from '../../domain/regimes.js';
import { parseInstant } from '../../domain/report-line.js';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { RegimeCatalog } from '../regimes/index.js';
import type { DutyContext } from './obligation.context.js';
import { dutiesOf, dutyOf, knownAt, loadContexts } from './obligation.context.js';
import type {
  DecisionBody,
  FactsBody,
  ObligationsView,
  Preview,
  PreviewQuery,
  StageBody,
} from './obligation.schema.js';

/**
 * An incident's reporting duties (issue 15): the regimes its sector, organisation flags and facts
 * make apply, proposed until the operator (or the center) confirms or declines each; per stage the
 * due time and what was submitted, with the recipient's reference. Read by whoever sees the
 * incident; written by its reporting organisation and the center, on a record still received.
 * Every change is audited.
 */
export class ObligationService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    readonly regimes: RegimeCatalog,
    private readonly clockSkewMs: number,
  ) {}

  async get(actor: Actor, id: number): Promise<ObligationsView> {
    const ctx = (await loadContexts(this.database.db, [id])).get(id);
    if (!ctx || !canSee(actor, { ...ctx.incident, id })) throw notFound();
    return this.view(actor, ctx);
  }

  private async view(actor: Actor, ctx: DutyContext): Promise<ObligationsView> {
    const own = ctx.incident.organization_id === actor.organizationId;
    return {
      incident_id: ctx.incident.id,
      flags: [...ctx.flags],
      facts: [...ctx.facts],
      details: ctx.details,
      revision: ctx.revision,
      // As `writable` below decides: the reporter's organisation or the center, on a received operator report.
      may_write:
        isAllowed(actor, 'incidents:write') &&
        (own || seesEverything(actor)) &&
        ctx.incident.channel === 'operator_report' &&
        ctx.incident.state === 'received',
      own_organization: own,
      regimes: dutiesOf(await this.regimes.list(), ctx, Date.now()),
    };
  }

  /** Locks the incident and checks the caller may write its duties; answers its context. */
  private async writable(trx: Kysely<DB>, actor: Actor, id: number): Promise<DutyContext> {
    const row = await this.database.dialect
      .forUpdate(trx.selectFrom('incidents').selectAll().where('id', '=', id))
      .executeTakeFirst();
    authorize(actor, 'add_report', row);
    if (row.state === 'rejected') throw new AppError('incident_rejected', 'the center rejected this record');
    if (row.state === 'withdrawn') throw new AppError('incident_withdrawn', 'this record was withdrawn');
    return (await loadContexts(trx, [id])).get(id)!;
  }

  /** The facts that decide which duties apply, and the items only the operator knows. */
  async setFacts(actor: Actor, id: number, body: FactsBody, expected?: number): Promise<ObligationsView> {
    await inTransaction(this.database, async (trx) => {
      const ctx = await this.writable(trx, actor, id);
      if (expected !== undefined && expected !== ctx.revision)
        throw new AppError('precondition_failed', `the facts are at revision ${ctx.revision}`);
      const values = {
        facts: JSON.stringify([...new Set(body.facts)]),
        details: JSON.stringify(body.details ?? ctx.details),
        revision: ctx.revision + 1,
        updated_by: actor.userId > 0 ? actor.userId : null,
        updated_at: new Date().toISOString(),
      };
      await trx
        .insertInto('incident_facts')
        .values({ incident_id: id, ...values })
        .onConflict((oc) => oc.column('incident_id').doUpdateSet(values))
        .execute();
      await this.audit.append(trx, whoOf(actor), {
        action: 'incident.facts',
        objectType: 'incident',
        objectId: id,
        details: { facts: body.facts, details: Object.keys(body.details ?? {}) },
      });
    });
    return this.get(actor, id);
  }

  /** Confirms or declines one regime for the incident, pinning the version in force when it became known. */
  async decide(actor: Actor, id: number, code: string, body: DecisionBody): Promise<ObligationsView> {
    const catalog = await this.regimes.list();
    await inTransaction(this.database, async (trx) => {
      const ctx = await this.writable(trx, actor, id);
      const day = knownAt(ctx);
      const versions = catalog.filter((r) => r.code === code);
      if (versions.length === 0) throw new AppError('unknown_regime', `no regime ${code}`);
      const inForce = versions.find((r) => {
        const d = regimeDay(r, day);
        return r.effective_from <= d && (r.effective_to === undefined || d < r.effective_to);
      });
      // Once decided, the version stays; before it was in force, the newest one is meant.
      const pinned = ctx.decisions.get(code)?.regime_version ?? (inForce ?? versions.at(-1)!).version;
      const values = {
        regime_version: pinned,
        status: body.status,
        reason: body.status === 'declined' ? body.reason! : (body.reason ?? null),
        share_with_center: body.share_with_center ? 1 : 0,
        decided_by: actor.userId > 0 ? actor.userId : null,
        decided_at: new Date().toISOString(),
      };
      await trx
        .insertInto('incident_obligations')
        .values({ incident_id: id, regime_code: code, ...values })
        .onConflict((oc) => oc.columns(['incident_id', 'regime_code']).doUpdateSet(values))
        .execute();
      await this.audit.append(trx, whoOf(actor), {
        action: `obligation.${body.status === 'confirmed' ? 'confirm' : 'decline'}`,
        objectType: 'incident',
        objectId: id,
        details: {
          regime: code,
          version: pinned,
          reason: values.reason,
          share_with_center: body.share_with_center,
        },
      });
    });
    return this.get(actor, id);
  }

  /** A stage submitted (when, the recipient's reference), not required (why), or open again. */
  async recordStage(
    actor: Actor,
    id: number,
    code: string,
    stageCode: string,
    body: StageBody,
  ): Promise<ObligationsView> {
    const catalog = await this.regimes.list();
    await inTransaction(this.database, async (trx) => {
      const ctx = await this.writable(trx, actor, id);
      const decision = ctx.decisions.get(code);
      const regime =
        decision && catalog.find((r) => r.code === code && r.version === decision.regime_version);
      if (!catalog.some((r) => r.code === code)) throw new AppError('unknown_regime', `no regime ${code}`);
      if (!decision || decision.status !== 'confirmed' || !regime)
        throw new AppError('obligation_not_confirmed', `confirm ${code} for this incident first`);
      if (!regime.stages.some((s) => s.code === stageCode))
        throw new AppError('unknown_stage', `${code} has no stage ${stageCode}`);
      let submittedAt: string | null = null;
      if (body.state === 'submitted') {
        const parsed = parseInstant(body.submitted_at);
        if (!parsed.ok) throw new AppError('validation_failed', 'submitted_at is not an instant');
        if (parsed.epochMs > Date.now() + this.clockSkewMs)
          throw new AppError('time_in_future', 'submitted_at is in the future', [
            { field: 'submitted_at', code: 'time_in_future', message: 'submitted_at is in the future' },
          ]);
        submittedAt = new Date(parsed.epochMs).toISOString();
      }
      await trx
        .deleteFrom('obligation_stages')
        .where('incident_id', '=', id)
        .where('regime_code', '=', code)
        .where('stage_code', '=', stageCode)
        .execute();
      if (body.state !== 'open')
        await trx
          .insertInto('obligation_stages')
          .values({
            incident_id: id,
            regime_code: code,
            stage_code: stageCode,
            state: body.state,
            submitted_at: submittedAt,
            reference: body.state === 'submitted' ? body.reference || null : null,
            reason: body.state === 'not_required' ? body.reason : null,
            recorded_by: actor.userId > 0 ? actor.userId : null,
            recorded_at: new Date().toISOString(),
          })
          .execute();
      await this.audit.append(trx, whoOf(actor), {
        action: 'obligation.stage',
        objectType: 'incident',
        objectId: id,
        details: { regime: code, stage: stageCode, ...body },
      });
    });
    return this.get(actor, id);
  }

  /**
   * The duties a report would have, before it is filed (the report form): for the caller's own
   * organisation, or (the center) the one it reports for.
   */
  async preview(actor: Actor, body: PreviewQuery): Promise<Preview> {
    // The caller's own organisation; the center names the one it reports for (unknown: no flags).
    const org =
      body.organization !== undefined && seesEverything(actor)
        ? ((
            await this.database.db
              .selectFrom('organizations')
              .select('id')
              .where('name', '=', body.organization)
              .executeTakeFirst()
          )?.id ?? null)
        : actor.organizationId;
    const flags =
      org === null
        ? []
        : (
            await this.database.db
              .selectFrom('organization_flags')
              .select('flag')
              .where('organization_id', '=', org)
              .execute()
          ).map((r) => r.flag as OrganizationFlag);
    const now = Date.now();
    const times: DutyContext['times'] = {};
    const at = (s: string | undefined) =>
      s === undefined ? undefined : (parseInstant(s) as { epochMs?: number }).epochMs;
    if (body.occurred_at) times.occurred = at(body.occurred_at);
    times.aware = at(body.detected_at) ?? now;
    const ctx = {
      times,
      facts: new Set(body.facts),
      decisions: new Map(),
      records: new Map(),
    } as Pick<DutyContext, 'times' | 'facts' | 'decisions' | 'records'>;
    const catalog = await this.regimes.list();
    const applicable = applicableRegimes(
      catalog,
      { sector: body.sector ?? null, flags: new Set(flags), facts: ctx.facts },
      times.aware,
    );
    return { flags, regimes: applicable.map((r) => dutyOf(r, ctx, true, now)) };
  }
}
