import { AppError } from '../../errors.js';

/**
 * Refuses a new report to a record that does not take one: rejected or withdrawn by the center, or
 * closed by its final report (最終報) and not reopened. Checked by the planner, which every write
 * path (API, shares, file import) goes through, against the row it locked.
 */
export function refuseClosed(ref: string, state: string, closedAt: string | null, lineNo?: number): void {
  const details = { ref, ...(lineNo ? { line: lineNo } : {}) };
  if (state === 'rejected')
    throw new AppError(409, 'incident_rejected', `incident ${ref} was rejected by the center`, details);
  if (state === 'withdrawn')
    throw new AppError(409, 'incident_withdrawn', `incident ${ref} was withdrawn`, details);
  if (closedAt !== null)
    throw new AppError(
      409,
      'incident_final',
      `incident ${ref} is closed by its final report; the center must reopen it first`,
      details,
    );
}
