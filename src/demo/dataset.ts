import type { Classification } from '../domain/counting.js';
import { FiscalCalendar } from '../domain/fiscal-calendar.js';
import type { TimeZone } from '../domain/time-zone.js';
import type { ReportLine } from '../domain/report-line.js';
import type { Taxonomy } from '../domain/taxonomy.js';
import { loadTaxonomy } from '../domain/taxonomy.js';
import { planQuarterClassifications } from './classify.js';
import type { FiscalYearTarget } from './dataset-target.js';
import { QUARTERS } from './dataset-target.js';
import type { Organization } from './organizations.js';
import { DEMO_ORGANIZATIONS, checkOrganizations, pickOrganization } from './organizations.js';
import type { Rng } from './rng.js';
import { mulberry32 } from './rng.js';
import type { Notation, PlannedIncident, QuarterWindow } from './schedule.js';
import { IncidentPlanner, randomInstant } from './schedule.js';
import { agencyText, centerText, centerTopic, operatorText } from './text.js';

export const DEFAULT_SEED = 20230401;

export interface FiscalYearDatasetOptions {
  fiscalYear: number;
  /** Per-quarter counts the dataset must produce; see fiscalYearTarget(). */
  target: FiscalYearTarget;
  seed?: number;
  organizations?: readonly Organization[];
  taxonomy?: Taxonomy;
}

/*
 * How many incidents of each tricky kind every quarter gets (as far as its operator reports go).
 * Each is there because a plausible implementation gets it wrong; see schedule.ts.
 */
const PER_QUARTER = {
  quarterStart: 4,
  quarterEnd: 4,
  finalLaterQuarter: 3,
  outOfOrder: 3,
  sameInstant: 1,
  leapDay: 6,
};

/**
 * The generator works in Tokyo time with an April fiscal year: the published tables it reproduces
 * are NISC's, and the `jst` notation is written with the zone's own offset.
 */
export const DATASET_CALENDAR = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 });

interface PlannedRecord {
  channel: 'agency_share' | 'center_provision';
  times: Array<{ at: number; notation: Notation }>;
  topic: string | null;
}

function quarterWindow(calendar: FiscalCalendar, fiscalYear: number, quarter: 1 | 2 | 3 | 4): QuarterWindow {
  const { start, end } = calendar.rangeOf(fiscalYear, quarter);
  let leapDay: number | null = null;
  for (const month of calendar.monthsOf(fiscalYear, quarter)) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    if (m === 2 && leap) leapDay = calendar.zone.instantOf(y, 2, 29).getTime();
  }
  return { quarter, start: start.getTime(), end: end.getTime(), leapDay };
}

/** `2023-03-31T15:00:00Z` or `2023-04-01T00:00:00+09:00`: the same instant, as a reporter might write it. */
export function formatInstant(at: number, notation: Notation, zone: TimeZone): string {
  if (notation === 'utc') return `${new Date(at).toISOString().slice(0, 19)}Z`;
  const offset = zone.offsetAt(at);
  const abs = Math.abs(offset) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(at + offset).toISOString().slice(0, 19)}${sign}${hhmm}`;
}

function localDate(at: number, zone: TimeZone): string {
  return new Date(at + zone.offsetAt(at)).toISOString().slice(0, 10);
}

function planOperatorIncidents(
  w: QuarterWindow,
  targets: Classification[],
  planner: IncidentPlanner,
): PlannedIncident[] {
  const queue = [...targets];
  const out: PlannedIncident[] = [];
  const times = (n: number, make: (t: Classification, i: number) => PlannedIncident) => {
    for (let i = 0; i < n && queue.length > 0; i++) out.push(make(queue.shift()!, i));
  };
  times(PER_QUARTER.quarterStart, (t, i) => planner.quarterStart(w, t, i));
  times(PER_QUARTER.quarterEnd, (t, i) => planner.quarterEnd(w, t, i));
  times(PER_QUARTER.finalLaterQuarter, (t) => planner.finalLaterQuarter(w, t));
  times(PER_QUARTER.outOfOrder, (t, i) => planner.outOfOrder(w, t, i));
  times(PER_QUARTER.sameInstant, (t) => planner.sameInstant(w, t));
  if (w.leapDay !== null) times(PER_QUARTER.leapDay, (t, i) => planner.leapDay(w, t, i));
  times(queue.length, (t) => planner.plain(w, t));
  return out;
}

function planRecords(w: QuarterWindow, agency: number, center: number, rng: Rng): PlannedRecord[] {
  const out: PlannedRecord[] = [];
  const anytime = (): { at: number; notation: Notation } => ({
    at: randomInstant(rng, w.start, w.end),
    notation: rng.chance(0.3) ? 'utc' : 'jst',
  });
  for (let i = 0; i < center; i++) {
    const topic = centerTopic(rng);
    let times = [anytime()];
    // Advisories go out at the turn of the quarter, and one a quarter is revised later under the same ref.
    if (i < 2) times = [{ at: w.start, notation: i === 0 ? 'utc' : 'jst' }];
    if (i === 2) times.push({ at: times[0]!.at + rng.between(3, 40) * 86_400_000, notation: 'jst' });
    out.push({ channel: 'center_provision', topic, times });
  }
  for (let i = 0; i < agency; i++) {
    // The first share of a quarter arrives in its last second.
    const times = [i === 0 ? { at: w.end - 1000, notation: 'jst' as const } : anytime()];
    out.push({ channel: 'agency_share', topic: null, times });
  }
  return out;
}

interface Entry {
  key: number;
  group: number;
  pos: number;
  line: ReportLine;
}

/**
 * A synthetic fiscal year whose statistics under the counting rules equal `target` exactly,
 * deterministic for a seed. Lines are in received order except the out-of-order incidents.
 */
export function generateFiscalYearDataset(opts: FiscalYearDatasetOptions): ReportLine[] {
  const taxonomy = opts.taxonomy ?? loadTaxonomy();
  const orgs = opts.organizations ?? DEMO_ORGANIZATIONS;
  checkOrganizations(orgs, taxonomy);
  const rng = mulberry32(opts.seed ?? DEFAULT_SEED);
  const calendar = DATASET_CALENDAR;
  const zone = calendar.zone;
  const fy = opts.fiscalYear;
  const planner = new IncidentPlanner(
    rng,
    taxonomy.data.events.map((e) => e.code),
  );

  const incidents: PlannedIncident[] = [];
  const records: PlannedRecord[] = [];
  for (const q of QUARTERS) {
    const w = quarterWindow(calendar, fy, q);
    const t = opts.target[q - 1]!;
    incidents.push(...planOperatorIncidents(w, planQuarterClassifications(t, rng, `FY${fy}Q${q}`), planner));
    records.push(...planRecords(w, t.channels.agency_share, t.channels.center_provision, rng));
  }

  const byFirst = <T>(items: T[], first: (x: T) => number) =>
    items
      .map((x, i) => ({ x, i }))
      .sort((a, b) => first(a.x) - first(b.x) || a.i - b.i)
      .map(({ x }) => x);
  const entries: Entry[] = [];
  byFirst(incidents, (p) => p.stages[0]!.at).forEach((p, n) => {
    const ref = `FY${fy}-OP-${String(n + 1).padStart(6, '0')}`;
    const target = p.stages[p.stages.length - 1]!.classification;
    const dates = p.stages.map((s) => localDate(s.at, zone));
    const org = pickOrganization(orgs, taxonomy, dates, target.attackType, rng);
    // Most reports stay AMBER (the default); some are shared wider, so that the sector and public
    // TAXII collections hold anonymised incidents. Chosen by position, not drawn: every other
    // draw, and so every figure of the demo, stays as it was.
    const tlp = n % 23 === 0 ? 'CLEAR' : n % 4 === 0 ? 'GREEN' : undefined;
    p.stages.forEach((s, pos) => {
      const c = s.classification;
      const line: ReportLine = {
        ref,
        channel: 'operator_report',
        received_at: formatInstant(s.at, s.notation, zone),
        organization: org.name,
        sector: org.sector,
        ...operatorText(taxonomy, s.stage, org.name, c, rng),
        stage: s.stage,
        event: c.event,
        causes: [...c.causes],
        attack_type: c.attackType,
        ...(tlp ? { tlp } : {}),
      };
      const first = p.stages[0]!.at;
      entries.push({ key: p.outOfOrder ? first : s.at, group: n, pos: p.outOfOrder ? -pos : pos, line });
    });
  });
  const counters = { agency_share: 0, center_provision: 0 };
  byFirst(records, (r) => r.times[0]!.at).forEach((r, n) => {
    const ref = `FY${fy}-${r.channel === 'agency_share' ? 'AG' : 'CP'}-${String(++counters[r.channel]).padStart(3, '0')}`;
    r.times.forEach(({ at, notation }, pos) => {
      const text = r.topic === null ? agencyText(rng) : centerText(r.topic, pos > 0);
      const line: ReportLine = {
        ref,
        channel: r.channel,
        received_at: formatInstant(at, notation, zone),
        ...text,
      };
      entries.push({ key: at, group: incidents.length + n, pos, line });
    });
  });
  entries.sort((a, b) => a.key - b.key || a.group - b.group || a.pos - b.pos);
  return entries.map((e) => e.line);
}
