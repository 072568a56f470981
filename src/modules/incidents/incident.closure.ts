import type { StageFacts } from '../../domain/counting.js';
import { AppError } from '../../platform/errors.js';

const where = (ref: string, lineNo?: number) => ({ ref, ...(lineNo ? { line: lineNo } : {}) });

/**
 * Refuses a new report to a rejected or withdrawn record. Checked by the planner, which every write
 * path (API, shares, file import) goes through, against the row it read (locked on PostgreSQL).
 */
export function refuseIfNotReceived(ref: string, state: string, lineNo?: number): void {
  if (state === 'rejected')
    throw new AppError('incident_rejected', `incident ${ref} was rejected by the center`, where(ref, lineNo));
  if (state === 'withdrawn')
    throw new AppError('incident_withdrawn', `incident ${ref} was withdrawn`, where(ref, lineNo));
}

/**
 * A final report (最終報) closes its incident: the received time of the closing final after this
 * write, or the refusal of a report received after it. "After" is in report order (received time),
 * not arrival order, as every counting rule is: a file may list an incident's stages in any order,
 * and the same reports give the same result however they arrive. The first final of a cycle closes
 * it; a reopened incident (null here) takes reports until its next final.
 */
export function closureAfter(
  ref: string,
  finalReceivedAt: string | null,
  fresh: ReadonlyArray<{ fact: StageFacts; lineNo?: number }>,
): string | null {
  const stored = finalReceivedAt === null ? null : Date.parse(finalReceivedAt);
  let closing = stored ?? Infinity;
  for (const { fact } of fresh) if (fact.stage === 'final') closing = Math.min(closing, fact.receivedAt);
  if (closing === Infinity) return null;
  for (const { fact, lineNo } of fresh) {
    // Received after the closing final, or a second final to an incident already closed.
    if (fact.receivedAt > closing || (stored !== null && fact.stage === 'final'))
      throw new AppError(
        'incident_final',
        `incident ${ref} is closed by its final report; the center must reopen it first`,
        where(ref, lineNo),
      );
  }
  return new Date(closing).toISOString();
}
