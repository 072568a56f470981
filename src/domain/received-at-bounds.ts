/**
 * When a report may say it was received: not before the deployment's earliest date (a backdated
 * report would otherwise land in a published year, and year 0000 would count as some fiscal year),
 * and not after now plus a small clock skew (a far-future report would top every list for years).
 */
export interface ReceivedAtBounds {
  /** Earliest accepted instant, epoch milliseconds. */
  readonly earliestMs: number;
  /** How far ahead of this server's clock a sender's clock may run. */
  readonly clockSkewMs: number;
}

export type BoundsCheck = { ok: true } | { ok: false; message: string };

export function checkReceivedAt(
  epochMs: number,
  bounds: ReceivedAtBounds,
  nowMs: number = Date.now(),
): BoundsCheck {
  if (epochMs < bounds.earliestMs)
    return {
      ok: false,
      message: `received_at is before ${new Date(bounds.earliestMs).toISOString()}, the earliest this deployment accepts`,
    };
  const latest = nowMs + bounds.clockSkewMs;
  if (epochMs > latest)
    return {
      ok: false,
      message: `received_at is in the future (later than ${new Date(latest).toISOString()}: now plus ${bounds.clockSkewMs / 1000} s of clock skew)`,
    };
  return { ok: true };
}
