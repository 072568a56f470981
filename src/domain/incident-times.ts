/**
 * When an incident happened (occurred_at, 発生日時) and was detected (detected_at, 検知日時), against
 * when it was reported (received_at, 受付日時). Both are optional; what is given must be in the order
 * things happen: occurred <= detected <= received, and neither later than now (plus the clock skew
 * a sender's clock may have). One rule for the API, the import and the web form.
 */

export const INCIDENT_TIME_REFUSALS = [
  /** occurred_at or detected_at later than now plus the clock skew. */
  'time_in_future',
  /** detected_at earlier than occurred_at. */
  'detected_before_occurred',
  /** The (first) report received before the incident was detected. */
  'received_before_detected',
  /** The (first) report received before the incident happened (no detected_at to compare). */
  'received_before_occurred',
] as const;
export type IncidentTimeRefusal = (typeof INCIDENT_TIME_REFUSALS)[number];

export interface IncidentTimes {
  occurredMs?: number | null;
  detectedMs?: number | null;
  /** The earliest report's received time: an incident is reported after it is detected. */
  receivedMs: number;
}

export interface IncidentTimeProblem {
  field: 'occurred_at' | 'detected_at';
  code: IncidentTimeRefusal;
  message: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The first rule the times break (the future first), or null when they are in order. */
export function checkIncidentTimes(
  times: IncidentTimes,
  clockSkewMs: number,
  nowMs: number = Date.now(),
): IncidentTimeProblem | null {
  const { occurredMs, detectedMs } = times;
  const latest = nowMs + clockSkewMs;
  for (const [field, ms] of [
    ['occurred_at', occurredMs],
    ['detected_at', detectedMs],
  ] as const) {
    if (ms != null && ms > latest)
      return {
        field,
        code: 'time_in_future',
        message: `${field} is in the future (later than ${iso(latest)}: now plus ${clockSkewMs / 1000} s of clock skew)`,
      };
  }
  return checkTimeOrder(times);
}

/**
 * Only the order: an incident's times as its reports together say them (each report was checked
 * against the clock when it arrived; a correction may pair with an older report's value).
 */
export function checkTimeOrder(times: IncidentTimes): IncidentTimeProblem | null {
  const { occurredMs, detectedMs, receivedMs } = times;
  if (occurredMs != null && detectedMs != null && detectedMs < occurredMs)
    return {
      field: 'detected_at',
      code: 'detected_before_occurred',
      message: `detected_at (${iso(detectedMs)}) is before occurred_at (${iso(occurredMs)})`,
    };
  if (detectedMs != null && receivedMs < detectedMs)
    return {
      field: 'detected_at',
      code: 'received_before_detected',
      message: `detected_at (${iso(detectedMs)}) is after the report was received (${iso(receivedMs)})`,
    };
  if (occurredMs != null && receivedMs < occurredMs)
    return {
      field: 'occurred_at',
      code: 'received_before_occurred',
      message: `occurred_at (${iso(occurredMs)}) is after the report was received (${iso(receivedMs)})`,
    };
  return null;
}
