import { describe, expect, it } from 'vitest';
import { checkIncidentTimes, checkTimeOrder } from '../../src/domain/incident-times.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const at = (iso: string) => Date.parse(iso);
const received = at('2026-05-31T12:00:00Z');
const code = (occurred: string | null, detected: string | null, skewMs = 300_000) =>
  checkIncidentTimes(
    {
      occurredMs: occurred ? at(occurred) : null,
      detectedMs: detected ? at(detected) : null,
      receivedMs: received,
    },
    skewMs,
    NOW,
  )?.code ?? null;

describe('occurred and detected times', () => {
  it('accepts none, either, or both in order, equal instants included', () => {
    expect(code(null, null)).toBeNull();
    expect(code('2026-05-30T00:00:00Z', null)).toBeNull();
    expect(code(null, '2026-05-31T12:00:00Z')).toBeNull();
    expect(code('2026-05-31T12:00:00Z', '2026-05-31T12:00:00Z')).toBeNull();
  });

  it('names the rule a time breaks, the future first', () => {
    expect(code('2026-06-01T00:06:00Z', null)).toBe('time_in_future');
    expect(code(null, '2026-06-01T00:06:00Z')).toBe('time_in_future');
    // Within the clock skew it is not the future, but still after the report was received.
    expect(code(null, '2026-06-01T00:04:00Z')).toBe('received_before_detected');
    expect(code('2026-05-31T10:00:00Z', '2026-05-31T09:59:59Z')).toBe('detected_before_occurred');
    expect(code(null, '2026-05-31T12:00:01Z')).toBe('received_before_detected');
    expect(code('2026-05-31T12:00:01Z', null)).toBe('received_before_occurred');
  });

  it('checks only the order without the clock (what earlier reports said was checked when they came)', () => {
    expect(
      checkTimeOrder({ occurredMs: NOW + 1e9, detectedMs: NOW + 2e9, receivedMs: NOW + 3e9 }),
    ).toBeNull();
    expect(checkTimeOrder({ occurredMs: 2, detectedMs: 1, receivedMs: 3 })).toMatchObject({
      field: 'detected_at',
      code: 'detected_before_occurred',
    });
  });
});
