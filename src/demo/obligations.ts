import type { Actor } from '../access/index.js';
import type { OrganizationFlag, RegimeFact } from '../domain/regimes.js';
import { setFlags } from '../modules/obligations/index.js';
import type { Services } from '../services.js';
import { actorFor } from './publication.js';

const DAY = 24 * 3600_000;

/**
 * Reporting duties in the demo (issue 15): the demo operator is a designated operator, a bank is
 * an EU entity; recent incidents of electricity, telecom and finance carry duties under several
 * regimes, some stages submitted on time and some overdue, so that the incident pages, the overdue
 * view and the reminders have something to show.
 */
interface Case {
  sector: string;
  /** How long ago it was first received, in days (the most recent such incident is taken). */
  daysAgo: number;
  facts: RegimeFact[];
  regimes: string[];
  /** Stages submitted, hours after awareness (on time or not). */
  submitted?: Array<{ regime: string; stage: string; afterHours: number; reference: string }>;
  organization?: string;
}

const CASES: Case[] = [
  {
    sector: 'electricity',
    organization: '東雲電力株式会社',
    daysAgo: 1,
    facts: ['cyber_attack', 'personal_data'],
    regimes: ['jp-acd', 'jp-ppc', 'jp-electricity'],
    submitted: [
      { regime: 'jp-electricity', stage: 'preliminary', afterHours: 6, reference: 'METI-DEMO-0101' },
    ],
  },
  {
    sector: 'electricity',
    organization: '東雲電力株式会社',
    daysAgo: 20,
    facts: ['cyber_attack'],
    regimes: ['jp-acd', 'jp-electricity'],
    submitted: [
      { regime: 'jp-acd', stage: 'prompt', afterHours: 3, reference: 'NCO-DEMO-0007' },
      { regime: 'jp-electricity', stage: 'preliminary', afterHours: 10, reference: 'METI-DEMO-0088' },
      { regime: 'jp-electricity', stage: 'detailed', afterHours: 24 * 18, reference: 'METI-DEMO-0093' },
    ],
  },
  {
    sector: 'finance',
    daysAgo: 16,
    facts: ['significant_incident', 'cyber_attack'],
    regimes: ['eu-nis2'],
    submitted: [{ regime: 'eu-nis2', stage: 'early_warning', afterHours: 20, reference: 'CSIRT-DEMO-55' }],
  },
  // Counted from occurrence, which the report did not give: the stages wait for it.
  { sector: 'information_communication', daysAgo: 10, facts: ['service_outage'], regimes: ['jp-telecom'] },
  { sector: 'electricity', daysAgo: 35, facts: ['service_outage'], regimes: ['jp-electricity'] },
];

/** The operator report of the sector (and organisation) first received closest to `daysAgo` days ago. */
async function incidentFor(
  services: Services,
  c: Case,
  now: Date,
  taken: Set<number>,
): Promise<number | null> {
  const target = now.getTime() - c.daysAgo * DAY;
  let q = services.database.db
    .selectFrom('incidents as i')
    .innerJoin('organizations as o', 'o.id', 'i.organization_id')
    .select(['i.id', 'i.first_received_at'])
    .where('i.channel', '=', 'operator_report')
    .where('i.state', '=', 'received')
    .where('i.sector', '=', c.sector)
    .where('i.first_received_at', '>=', new Date(target - 30 * DAY).toISOString())
    .where('i.first_received_at', '<=', new Date(Math.min(target + 30 * DAY, now.getTime())).toISOString());
  if (c.organization) q = q.where('o.name', '=', c.organization);
  const rows = (await q.execute()).filter((r) => !taken.has(r.id));
  const distance = (r: { first_received_at: string }) => Math.abs(Date.parse(r.first_received_at) - target);
  return rows.sort((a, b) => distance(a) - distance(b) || a.id - b.id)[0]?.id ?? null;
}

export async function loadDemoObligations(
  services: Services,
  analystEmail: string,
  now: Date,
): Promise<void> {
  const analyst: Actor = await actorFor(services, analystEmail);
  const db = services.database.db;
  const flag = async (name: string | undefined, flags: OrganizationFlag[]) => {
    const org = name
      ? await db.selectFrom('organizations').select('id').where('name', '=', name).executeTakeFirst()
      : undefined;
    if (org) await setFlags(services.database, services.audit, analyst, org.id, flags);
  };
  await flag('東雲電力株式会社', ['designated_operator']);
  const taken = new Set<number>();
  for (const c of CASES) {
    const id = await incidentFor(services, c, now, taken);
    if (id === null) continue;
    taken.add(id);
    if (c.sector === 'finance') {
      const org = await db
        .selectFrom('incidents')
        .select('organization_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (org.organization_id !== null)
        await setFlags(services.database, services.audit, analyst, org.organization_id, ['eu_entity']);
    }
    await services.obligations.setFacts(analyst, id, {
      facts: c.facts,
      details: { response: '影響範囲を調査し、対象の端末をネットワークから切り離した。' },
    });
    for (const code of c.regimes)
      await services.obligations.decide(analyst, id, code, { status: 'confirmed', share_with_center: true });
    // Aware as the duties count it: when detected, or at the latest when first reported.
    const row = await db
      .selectFrom('incidents')
      .select(['detected_at', 'first_received_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const aware = Date.parse(row.detected_at ?? row.first_received_at);
    for (const s of c.submitted ?? []) {
      const at = Math.min(aware + s.afterHours * 3600_000, now.getTime() - 60_000);
      await services.obligations.recordStage(analyst, id, s.regime, s.stage, {
        state: 'submitted',
        submitted_at: new Date(at).toISOString(),
        reference: s.reference,
      });
    }
  }
}

/**
 * Escalation times for the running fiscal year's operator reports (the response-time figures):
 * management told minutes to hours after detection (every eleventh slowly, half a day later), a
 * headquarters for one in three, service restored for one in two. Derived from the id, not drawn.
 */
export async function loadDemoEscalations(
  services: Services,
  analystEmail: string,
  now: Date,
): Promise<number> {
  const analyst = await actorFor(services, analystEmail);
  const { fiscalYear } = services.calendar.periodOf(now);
  const start = services.calendar.rangeOf(fiscalYear).start.toISOString();
  const rows = await services.database.db
    .selectFrom('incidents')
    .select(['id', 'detected_at', 'occurred_at'])
    .where('channel', '=', 'operator_report')
    .where('state', '=', 'received')
    .where('first_received_at', '>=', start)
    .where('detected_at', 'is not', null)
    .orderBy('id')
    .execute();
  const MINUTE = 60_000;
  let given = 0;
  for (const r of rows) {
    const aware = Date.parse(r.detected_at!);
    const management = aware + (5 + ((r.id * 37) % 240) + (r.id % 11 === 0 ? 720 : 0)) * MINUTE;
    const hq = management + (30 + ((r.id * 13) % 180)) * MINUTE;
    const restored = aware + (60 + ((r.id * 53) % 2880)) * MINUTE;
    const at = (ms: number) => (ms < now.getTime() ? new Date(ms).toISOString() : undefined);
    const body = {
      ...(at(management) ? { management_informed_at: at(management) } : {}),
      ...(r.id % 3 === 0 && at(hq) ? { hq_established_at: at(hq) } : {}),
      ...(r.id % 2 === 0 && at(restored) ? { restored_at: at(restored) } : {}),
    };
    if (Object.keys(body).length === 0) continue;
    await services.incidentTimeline.set(analyst, r.id, body);
    given++;
  }
  return given;
}
