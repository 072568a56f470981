/**
 * The lifecycle of a record, as data and pure rules. A report is `received`; the center may reject it
 * (for a reason from a closed list) or withdraw it at the reporter's request, and restore either.
 * Only received records count anywhere; the others are kept, with their reason, as evidence.
 */
export const STATES = ['received', 'rejected', 'withdrawn'] as const;
export type LifecycleState = (typeof STATES)[number];

/** Why the center rejects a report: a closed list, so that the reasons can be counted and shown. */
export const REJECT_REASONS = ['duplicate', 'test', 'not_critical_infrastructure', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** The reason stored with a withdrawn record (it has no choice of reasons: the reporter asked). */
export const WITHDRAWN_REASON = 'withdrawn';

export const LIFECYCLE_ACTIONS = ['reject', 'withdraw', 'restore', 'reopen'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** Whether a record in `state` counts in the statistics. */
export const counts = (state: string): boolean => state === 'received';

/**
 * The state a transition leads to from `from`, or null when it does not apply: reject and withdraw
 * act on a received record only (a rejected one is restored first, so the trail says both), restore
 * on a rejected or withdrawn one. Reopen does not change the state (see `mayReopen`).
 */
export function nextState(from: string, action: Exclude<LifecycleAction, 'reopen'>): LifecycleState | null {
  switch (action) {
    case 'reject':
      return from === 'received' ? 'rejected' : null;
    case 'withdraw':
      return from === 'received' ? 'withdrawn' : null;
    case 'restore':
      return from === 'rejected' || from === 'withdrawn' ? 'received' : null;
  }
}

/** A closed incident (final report received) of a received record may be reopened. */
export const mayReopen = (state: string, finalReceivedAt: string | null): boolean =>
  state === 'received' && finalReceivedAt !== null;
