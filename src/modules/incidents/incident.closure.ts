import type { StageFacts } from '../../domain/counting.js';
import { compareStages, latestStage } from '../../domain/counting.js';
import { AppError } from '../../errors.js';

const where = (ref: string, lineNo?: number) => ({ ref, ...(lineNo ? { line: lineNo } : {}) });

/**
 * Refuses a new report to a rejected or withdrawn record. Checked by the planner, which every write
 * path (API, shares, file import) goes through, against the row it read (locked on PostgreSQL).
 */
export function refuseIfNotReceived(ref: string, state: string, lineNo?: number): void {
  if (state === 'rejected')
    throw new AppError(
      409,
      'incident_rejected',
      `incident ${ref} was rejected by the center`,
      where(ref, lineNo),
    );
  if (state === 'withdrawn')
    throw new AppError(409, 'incident_withdrawn', `incident ${ref} was withdrawn`, where(ref, lineNo));
}

const finalRefused = (ref: string, lineNo?: number) =>
  new AppError(
    409,
    'incident_final',
    `incident ${ref} is closed by its final report; the center must reopen it first`,
    where(ref, lineNo),
  );

/**
 * A final report (最終報) closes its incident: `closed_at` after this write, or the refusal of a
 * report that comes after the final. An incident closed by an earlier write takes no new report
 * until the center reopens it. Within one write (one request, or one file import, whose batches
 * share the writer's `now`), reports arrive in any order (a file lists an incident's stages as it
 * likes), so there "after" means after the write's latest final in report order (received time,
 * then stage): the stages before the final are the incident's history and are kept.
 */
export function closureAfter(
  ref: string,
  closedAt: string | null,
  known: readonly StageFacts[],
  fresh: ReadonlyArray<{ fact: StageFacts; lineNo?: number }>,
  now: string,
): string | null {
  if (fresh.length === 0) return closedAt;
  if (closedAt !== null && closedAt !== now) throw finalRefused(ref, fresh[0]!.lineNo);
  const finals = fresh.map((f) => f.fact).filter((f) => f.stage === 'final');
  if (closedAt === now) finals.push(...known.filter((f) => f.stage === 'final'));
  if (finals.length === 0) return closedAt;
  const last = latestStage(finals);
  for (const f of fresh) if (compareStages(f.fact, last) > 0) throw finalRefused(ref, f.lineNo);
  return now;
}
