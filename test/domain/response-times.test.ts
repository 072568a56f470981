import { describe, expect, it } from 'vitest';
import type { TimedIncident } from '../../src/domain/response-times.js';
import { percentile, slowest, summarize, summarizeBySector } from '../../src/domain/response-times.js';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const min = (n: number) => T0 + n * 60_000;
const incident = (id: number, sector: string, management: number | null, report = 60): TimedIncident => ({
  id,
  sector,
  times: {
    aware: T0,
    first_report: min(report),
    ...(management === null ? {} : { management_informed: min(management) }),
  },
});

describe('response times', () => {
  it('nearest-rank percentiles: values that occurred', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });

  it('medians and 90th percentiles per interval, counting only incidents with both ends; per sector too', () => {
    const incidents = [
      incident(1, 'electricity', 10),
      incident(2, 'electricity', 20),
      incident(3, 'electricity', 240),
      incident(4, 'finance', 30, 120),
      incident(5, 'finance', null, 30),
    ];
    const all = summarize(incidents);
    expect(all.find((s) => s.interval === 'aware_to_management')).toEqual({
      interval: 'aware_to_management',
      count: 4,
      median_minutes: 20,
      p90_minutes: 240,
    });
    expect(all.find((s) => s.interval === 'aware_to_report')).toMatchObject({
      count: 5,
      median_minutes: 60,
      p90_minutes: 120,
    });
    expect(all.find((s) => s.interval === 'occurred_to_restored')).toMatchObject({
      count: 0,
      median_minutes: null,
    });
    const bySector = summarizeBySector(incidents);
    expect(bySector.map((s) => [s.sector, s.intervals[1]!.median_minutes])).toEqual([
      ['electricity', 20],
      ['finance', 30],
    ]);
  });

  it('the slowest escalations are those at or above the 90th percentile, slowest first', () => {
    const incidents = Array.from({ length: 20 }, (_, i) => incident(i + 1, 'gas', (i + 1) * 10));
    expect(slowest(incidents, 'aware_to_management')).toEqual([
      { id: 20, minutes: 200 },
      { id: 19, minutes: 190 },
      { id: 18, minutes: 180 },
    ]);
  });
});
