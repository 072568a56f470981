import type { ReceivedAtBounds } from '../../domain/received-at-bounds.js';
import { checkReceivedAt } from '../../domain/received-at-bounds.js';
import { checkIncidentTimes } from '../../domain/incident-times.js';
import type { ReportLine } from '../../domain/report-line.js';
import { optionalInstant as instantOf, parseInstant } from '../../domain/report-line.js';
import { AppError } from '../../platform/errors.js';

/** The instant of a report's received_at, or a 400 (nothing stored) when it is invalid or out of range. */
export function receivedAtOrThrow(text: string, bounds: ReceivedAtBounds): number {
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new AppError('validation_failed', 'received_at is not a valid instant');
  const check = checkReceivedAt(parsed.epochMs, bounds);
  if (!check.ok)
    throw new AppError('received_at_out_of_range', check.message, [
      { field: 'body.received_at', code: 'received_at_out_of_range', message: check.message },
    ]);
  return parsed.epochMs;
}

/**
 * The report's own occurred and detected times (validated instants by now): not in the future, and
 * in order with the report's received time; else a 400 naming the rule (nothing stored).
 */
export function incidentTimesOrThrow(line: ReportLine, receivedAtMs: number, bounds: ReceivedAtBounds): void {
  const problem = checkIncidentTimes(
    {
      occurredMs: instantOf(line.occurred_at),
      detectedMs: instantOf(line.detected_at),
      receivedMs: receivedAtMs,
    },
    bounds.clockSkewMs,
  );
  if (problem)
    throw new AppError(problem.code, problem.message, [
      { field: `body.${problem.field}`, code: problem.code, message: problem.message },
    ]);
}
