import { describe, expect, it } from 'vitest';
import { checkTimeline } from '../../src/domain/incident-timeline.js';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-12-04T12:00:00Z');

describe('the order of an incident’s times', () => {
  it('accepts times in the order things happen, and partial timelines', () => {
    expect(
      checkTimeline(
        {
          occurred: at('2026-12-01T00:00:00Z'),
          aware: at('2026-12-01T02:00:00Z'),
          management_informed: at('2026-12-01T02:20:00Z'),
          hq_established: at('2026-12-01T03:00:00Z'),
          classified_major: at('2026-12-01T04:00:00Z'),
          restored: at('2026-12-02T00:00:00Z'),
          ransom_paid: at('2026-12-01T12:00:00Z'),
        },
        NOW,
        0,
      ),
    ).toBeNull();
    expect(checkTimeline({ management_informed: at('2026-12-01T02:20:00Z') }, NOW, 0)).toBeNull();
  });

  it.each([
    ['aware', 'occurred', { occurred: '2026-12-01T10:00:00Z', aware: '2026-12-01T09:59:59Z' }],
    [
      'management_informed',
      'aware',
      { aware: '2026-12-01T10:00:00Z', management_informed: '2026-12-01T09:00:00Z' },
    ],
    // Where awareness is not known, management is compared with the occurrence.
    [
      'hq_established',
      'occurred',
      { occurred: '2026-12-01T10:00:00Z', hq_established: '2026-12-01T09:00:00Z' },
    ],
    [
      'restored',
      'occurred',
      { occurred: '2026-12-01T10:00:00Z', aware: '2026-12-01T10:30:00Z', restored: '2026-12-01T09:00:00Z' },
    ],
    ['ransom_paid', 'occurred', { occurred: '2026-12-01T10:00:00Z', ransom_paid: '2026-11-30T09:00:00Z' }],
    [
      'classified_major',
      'aware',
      { aware: '2026-12-01T10:00:00Z', classified_major: '2026-12-01T09:00:00Z' },
    ],
  ] as const)('refuses %s before %s, saying which', (field, before, times) => {
    const problem = checkTimeline(
      Object.fromEntries(Object.entries(times).map(([k, v]) => [k, at(v)])),
      NOW,
      0,
    );
    expect(problem).toMatchObject({ code: 'time_out_of_order', field, before });
    expect(problem!.message).toContain(`${field} (`);
  });

  it('refuses a time in the future, beyond the clock skew allowed', () => {
    expect(checkTimeline({ restored: NOW + 60_000 }, NOW, 120_000)).toBeNull();
    expect(checkTimeline({ restored: NOW + 180_000 }, NOW, 120_000)).toMatchObject({
      code: 'time_in_future',
      field: 'restored',
    });
  });
});
