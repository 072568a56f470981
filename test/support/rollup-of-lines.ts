import type { StageFacts } from '../../src/domain/counting.js';
import {
  latestStage,
  accumulate,
  contributionsOf,
  effectiveClassification,
  firstReceivedAt,
  parseDeltaKey,
} from '../../src/domain/counting.js';
import type { FiscalCalendar } from '../../src/domain/fiscal-calendar.js';
import type { RollupCount } from '../../src/domain/info-sharing-stats.js';
import type { ReportLine } from '../../src/domain/report-line.js';
import { parseInstant } from '../../src/domain/report-line.js';
import type { Channel } from '../../src/domain/taxonomy.js';

/**
 * The statistics rollup of a set of report lines, computed purely from the counting rules: the
 * oracle that database-backed statistics are tested against. Lines with the same ref are the
 * stages of one incident, whatever their order in the input; no center classification exists in
 * lines, so the reporter's latest stage decides.
 */
export function rollupOfLines(lines: readonly ReportLine[], calendar: FiscalCalendar): RollupCount[] {
  const incidents = new Map<string, { channel: Channel; stages: Array<StageFacts & { sector?: string }> }>();
  lines.forEach((line, seq) => {
    const parsed = parseInstant(line.received_at);
    if (!parsed.ok)
      throw new RangeError(`line ${seq + 1} (${line.ref}): received_at ${line.received_at}: ${parsed.code}`);
    const incident = incidents.get(line.ref) ?? { channel: line.channel, stages: [] };
    // An oracle should refuse what it cannot count unambiguously rather than pick a channel.
    if (incident.channel !== line.channel) {
      throw new RangeError(`ref ${line.ref} appears under channels ${incident.channel} and ${line.channel}`);
    }
    incidents.set(line.ref, incident);
    incident.stages.push({
      stage: line.stage ?? 'initial',
      receivedAt: parsed.epochMs,
      seq,
      event: line.event,
      causes: line.causes,
      attackType: line.attack_type,
      sector: line.sector,
    });
  });

  const deltas = new Map<string, number>();
  for (const { channel, stages } of incidents.values()) {
    const counted = {
      channel,
      firstReceivedAt: firstReceivedAt(stages),
      classification: effectiveClassification(stages, null),
      // The incident's sector is the one its latest report names.
      sector: latestStage(stages).sector ?? null,
    };
    accumulate(deltas, contributionsOf(counted, calendar), 1);
  }
  return [...deltas.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, n]) => ({ ...parseDeltaKey(key), n }));
}
