import type { ReportLine } from '../domain/report-line.js';
import { parseInstant } from '../domain/report-line.js';
import type { Taxonomy } from '../domain/taxonomy.js';
import { loadTaxonomy } from '../domain/taxonomy.js';
import { generateFiscalYearDataset } from './dataset.js';
import type { FiscalYearTarget, QuarterTarget } from './dataset-target.js';
import { QUARTERS, emptyQuarterTarget } from './dataset-target.js';
import type { Organization } from './organizations.js';
import { mulberry32 } from './rng.js';

export interface RecentRecordsOptions {
  fiscalYear: number;
  /** How many incidents and records (not lines: operator incidents often have several stages). */
  count: number;
  seed?: number;
  organizations?: readonly Organization[];
  taxonomy?: Taxonomy;
}

// Rough shares of FY2019-FY2023 (published totals), so that the demo's current year looks familiar.
const CHANNEL_WEIGHTS = { operator_report: 66, agency_share: 4, center_provision: 30 };
const EVENT_WEIGHTS: Record<string, number> = {
  'not_occurred.precursor': 6,
  'confidentiality.leak': 7,
  'integrity.destruction': 5,
  'availability.disruption': 52,
  'leading.malware_infection': 7,
  'leading.malicious_code': 1,
  'leading.intrusion': 6,
  other: 16,
};
const ATTACK_WEIGHTS: Record<string, number> = { ransomware: 25, malware_other: 12, ddos: 18, other: 45 };

/**
 * Some records of a (typically the current) fiscal year for the demo, not tied to published figures.
 * It draws a random but consistent per-quarter target and lets the main generator realise it, so the
 * same stage shapes and edge cases appear.
 */
export function generateRecentRecords(opts: RecentRecordsOptions): ReportLine[] {
  const taxonomy = opts.taxonomy ?? loadTaxonomy();
  const seed = opts.seed ?? 20240401;
  const rng = mulberry32(seed ^ 0x5eed);
  const target = QUARTERS.map(emptyQuarterTarget) as FiscalYearTarget;
  const bump = (counts: Record<string, number>, code: string) => (counts[code] = (counts[code] ?? 0) + 1);
  const events = taxonomy.data.events.map((e) => e.code);
  const causes = taxonomy.data.causes.map((c) => c.code);
  const attacks = taxonomy.data.attack_types.map((a) => a.code);
  const channels = Object.keys(CHANNEL_WEIGHTS) as Array<keyof typeof CHANNEL_WEIGHTS>;
  for (let i = 0; i < opts.count; i++) {
    // Counting incidents into a target (rather than inventing counts) keeps the target satisfiable.
    const q: QuarterTarget = rng.pick(target);
    const channel = rng.weighted(channels, (c) => CHANNEL_WEIGHTS[c]);
    q.channels[channel]++;
    if (channel !== 'operator_report') continue;
    bump(
      q.events,
      rng.weighted(events, (e) => EVENT_WEIGHTS[e] ?? 1),
    );
    const carried = new Set<string>();
    const howMany = rng.weighted([1, 2, 3], (k) => [0, 70, 24, 6][k]!);
    while (carried.size < Math.min(howMany, causes.length)) carried.add(rng.pick(causes));
    for (const c of carried) bump(q.causes, c);
    if (rng.chance(0.45))
      bump(
        q.attackTypes,
        rng.weighted(attacks, (a) => ATTACK_WEIGHTS[a] ?? 1),
      );
  }
  return withIncidentTimes(
    generateFiscalYearDataset({
      fiscalYear: opts.fiscalYear,
      target,
      seed,
      taxonomy,
      ...(opts.organizations ? { organizations: opts.organizations } : {}),
    }),
  );
}

/** A small deterministic hash of a text (FNV-1a): no draw of the generator, so no figure moves. */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * When each recent incident happened and was detected (issue 15: the deadlines and the response
 * times count from them), on its initial report: detected 10 minutes to 10 hours before it was
 * reported, occurred up to a day before that. Derived from the reference, not drawn.
 */
function withIncidentTimes(lines: ReportLine[]): ReportLine[] {
  const MINUTE = 60_000;
  return lines.map((line) => {
    if (line.channel !== 'operator_report' || line.stage !== 'initial') return line;
    const parsed = parseInstant(line.received_at);
    if (!parsed.ok) return line;
    const received = parsed.epochMs;
    const h = hashOf(line.ref ?? line.received_at);
    const detected = received - (10 + (h % 590)) * MINUTE;
    const occurred = detected - ((h >>> 10) % 1440) * MINUTE;
    return {
      ...line,
      occurred_at: new Date(occurred).toISOString(),
      detected_at: new Date(detected).toISOString(),
    };
  });
}
