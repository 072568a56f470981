import type { Kysely } from 'kysely';
import { HOLIDAY_CALENDARS } from '../../domain/holiday-calendars.js';
import type { HolidayCalendarName } from '../../domain/holiday-calendars.js';
import type { StageRecord } from '../../domain/obligations.js';
import { applicableRegimes, stageStatuses } from '../../domain/obligations.js';
import type { IncidentTime, OrganizationFlag, Regime, RegimeFact } from '../../domain/regimes.js';
import type { DB } from '../../platform/db/schema.js';
import type { IncidentObligationTable } from '../../platform/db/schema-publication.js';
import { describeStage } from '../regimes/index.js';
import type { RegimeDuty, StageView } from './obligation.schema.js';

/**
 * What decides an incident's duties, read in a few statements for one incident or many (the
 * overdue views, the reminders): its sector, its organisation's flags, its facts, its times,
 * and what was decided and submitted.
 */
export interface DutyContext {
  incident: {
    id: number;
    ref: string;
    title: string;
    description: string;
    sector: string | null;
    organization_id: number | null;
    organization: string | null;
    tlp: string;
    state: string;
    channel: string;
    audience: string;
    final_received_at: string | null;
    first_received_at: string;
    occurred_at: string | null;
    detected_at: string | null;
    event: string | null;
    causes: string | null;
    attack_type: string | null;
    stage: string | null;
  };
  flags: Set<OrganizationFlag>;
  facts: Set<RegimeFact>;
  details: Record<string, string>;
  revision: number;
  times: Partial<Record<IncidentTime, number>>;
  decisions: Map<string, IncidentObligationTable & { decided_by_email: string | null }>;
  records: Map<string, Record<string, StageRecord>>;
}

const chunks = <T>(xs: readonly T[], n = 500): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

export async function loadContexts(
  db: Kysely<DB>,
  ids: readonly number[],
): Promise<Map<number, DutyContext>> {
  const out = new Map<number, DutyContext>();
  for (const part of chunks([...new Set(ids)])) {
    if (part.length === 0) continue;
    const incidents = await db
      .selectFrom('incidents as i')
      .leftJoin('organizations as o', 'o.id', 'i.organization_id')
      .select([
        'i.id',
        'i.ref',
        'i.title',
        'i.description',
        'i.sector',
        'i.organization_id',
        'o.name as organization',
      ])
      .select(['i.tlp', 'i.state', 'i.channel', 'i.audience', 'i.final_received_at', 'i.first_received_at'])
      .select(['i.occurred_at', 'i.detected_at', 'i.event', 'i.causes', 'i.attack_type', 'i.stage'])
      .where('i.id', 'in', part)
      .execute();
    const orgs = [...new Set(incidents.map((i) => i.organization_id).filter((o): o is number => o !== null))];
    const flags = orgs.length
      ? await db
          .selectFrom('organization_flags')
          .select(['organization_id', 'flag'])
          .where('organization_id', 'in', orgs)
          .execute()
      : [];
    const facts = await db
      .selectFrom('incident_facts')
      .selectAll()
      .where('incident_id', 'in', part)
      .execute();
    const times = await db
      .selectFrom('incident_times')
      .select(['incident_id', 'kind', 'at'])
      .where('incident_id', 'in', part)
      .execute();
    const decisions = await db
      .selectFrom('incident_obligations as d')
      .leftJoin('users as u', 'u.id', 'd.decided_by')
      .selectAll('d')
      .select('u.email as decided_by_email')
      .where('d.incident_id', 'in', part)
      .execute();
    const stages = await db
      .selectFrom('obligation_stages')
      .selectAll()
      .where('incident_id', 'in', part)
      .execute();
    for (const i of incidents) {
      const f = facts.find((r) => r.incident_id === i.id);
      const t: Partial<Record<IncidentTime, number>> = {};
      if (i.occurred_at) t.occurred = Date.parse(i.occurred_at);
      // Aware at the latest when first reported, where no report says when it was detected.
      t.aware = Date.parse(i.detected_at ?? i.first_received_at);
      for (const r of times) if (r.incident_id === i.id) t[r.kind as IncidentTime] = Date.parse(r.at);
      const records = new Map<string, Record<string, StageRecord>>();
      for (const s of stages) {
        if (s.incident_id !== i.id) continue;
        const byStage = records.get(s.regime_code) ?? {};
        byStage[s.stage_code] =
          s.state === 'submitted'
            ? { state: 'submitted', submittedAt: Date.parse(s.submitted_at!), reference: s.reference }
            : { state: 'not_required', reason: s.reason ?? '' };
        records.set(s.regime_code, byStage);
      }
      const ctxFacts = new Set(f ? (JSON.parse(f.facts) as RegimeFact[]) : []);
      // A time given says as much as the fact: a ransom paid, an incident classified as major.
      if (t.ransom_paid !== undefined) ctxFacts.add('ransom_paid');
      if (t.classified_major !== undefined) ctxFacts.add('major_incident');
      out.set(i.id, {
        incident: i,
        flags: new Set(
          flags.filter((r) => r.organization_id === i.organization_id).map((r) => r.flag as OrganizationFlag),
        ),
        facts: ctxFacts,
        details: f ? (JSON.parse(f.details) as Record<string, string>) : {},
        revision: f?.revision ?? 0,
        times: t,
        decisions: new Map(decisions.filter((d) => d.incident_id === i.id).map((d) => [d.regime_code, d])),
        records,
      });
    }
  }
  return out;
}

export const holidaysOf = (r: Regime) =>
  r.holidays ? HOLIDAY_CALENDARS[r.holidays as HolidayCalendarName] : undefined;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** One regime's duty for an incident at `now`: its decision and each stage's status. */
export function dutyOf(
  regime: Regime,
  ctx: Pick<DutyContext, 'times' | 'facts' | 'decisions' | 'records'>,
  applies: boolean,
  now: number,
): RegimeDuty {
  const decision = ctx.decisions.get(regime.code);
  const statuses = stageStatuses(
    regime,
    { times: ctx.times, facts: ctx.facts, records: ctx.records.get(regime.code) ?? {} },
    now,
    holidaysOf(regime),
  );
  return {
    code: regime.code,
    version: regime.version,
    name: regime.name,
    authority: regime.authority,
    confidence: regime.source.confidence,
    source_url: regime.source.url,
    status: decision ? (decision.status as 'confirmed' | 'declined') : 'proposed',
    applies,
    reason: decision?.reason ?? null,
    share_with_center: decision?.share_with_center === 1,
    decided_by: decision?.decided_by_email ?? null,
    decided_at: decision?.decided_at ?? null,
    stages: statuses.map((s, i): StageView => {
      const stage = regime.stages[i]!;
      return {
        code: s.stage,
        name: stage.name,
        deadline: { ja: describeStage(regime, stage, 'ja'), en: describeStage(regime, stage, 'en') },
        state: s.state,
        promptly: s.promptly,
        due_at: iso(s.due),
        waiting_for: s.waitingFor,
        submitted_at: iso(s.submittedAt),
        reference: s.reference,
        reason: s.reason,
        late: s.late,
      };
    }),
  };
}

/** The day that decides which version is in force: when the incident became known. */
export const knownAt = (ctx: Pick<DutyContext, 'times'>) =>
  ctx.times.aware ?? ctx.times.occurred ?? Date.now();

/**
 * The incident's duties: every regime decided for it (in the version it was decided under) and
 * every other regime that applies now, proposed.
 */
export function dutiesOf(catalog: readonly Regime[], ctx: DutyContext, now: number): RegimeDuty[] {
  const facts = { sector: ctx.incident.sector, flags: ctx.flags, facts: ctx.facts };
  const applicable = applicableRegimes(catalog, facts, knownAt(ctx));
  const out: RegimeDuty[] = [];
  for (const regime of applicable)
    if (!ctx.decisions.has(regime.code)) out.push(dutyOf(regime, ctx, true, now));
  for (const [code, d] of ctx.decisions) {
    const regime = catalog.find((r) => r.code === code && r.version === d.regime_version);
    if (!regime) continue;
    out.push(
      dutyOf(
        regime,
        ctx,
        applicable.some((r) => r.code === code),
        now,
      ),
    );
  }
  const order = new Map(catalog.map((r, i) => [r.code, i]));
  return out.sort((a, b) => order.get(a.code)! - order.get(b.code)!);
}
