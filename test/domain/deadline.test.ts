import { describe, expect, it } from 'vitest';
import type { Period } from '../../src/domain/deadline.js';
import { dueAt } from '../../src/domain/deadline.js';
import { HOLIDAY_CALENDARS } from '../../src/domain/holiday-calendars.js';
import type { Regime, RegimeFact } from '../../src/domain/regimes.js';
import { applies, stageDues } from '../../src/domain/regimes.js';
import { TimeZone } from '../../src/domain/time-zone.js';
import { loadRegimes } from '../../src/modules/regimes/index.js';

/**
 * Deadlines at their edges: across midnight in JST, months of different lengths and the leap day,
 * business days over Japanese public and administrative holidays, Europe/Brussels across its
 * daylight-saving changes, and stages counted from the previous stage's submission.
 */
const TOKYO = new TimeZone('Asia/Tokyo');
const BRUSSELS = new TimeZone('Europe/Brussels');
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const hours = (amount: number): Period => ({ amount, unit: 'hours', counting: 'elapsed' });
const days = (amount: number, counting: Period['counting'] = 'end_of_day'): Period => ({
  amount,
  unit: 'days',
  counting,
});
const months = (amount: number, counting: Period['counting'] = 'end_of_day'): Period => ({
  amount,
  unit: 'months',
  counting,
});
const businessDays = (amount: number): Period => ({ amount, unit: 'business_days', counting: 'end_of_day' });

describe('due times', () => {
  it('across midnight in JST: hours are elapsed time, days end at the end of a local day (the first not counted)', () => {
    // 23:30 JST on 4 December: 24 hours later is 23:30 on the 5th, whatever the date in UTC.
    expect(iso(dueAt(at('2026-12-04T23:30:00+09:00'), hours(24), TOKYO))).toBe('2026-12-05T14:30:00.000Z');
    // 00:30 JST on 5 December is still the 4th in UTC: the local date counts. 30 days: the end of 4 January.
    expect(iso(dueAt(at('2026-12-04T15:30:00Z'), days(30), TOKYO))).toBe('2027-01-04T15:00:00.000Z');
    // A minute before midnight: the day it happened is not counted, 1 day ends at the end of the next.
    expect(iso(dueAt(at('2026-12-04T23:59:00+09:00'), days(1), TOKYO))).toBe('2026-12-05T15:00:00.000Z');
  });

  it('months of different lengths end on the last day of a shorter month (Civil Code art. 143)', () => {
    expect(iso(dueAt(at('2025-01-31T10:00:00+09:00'), months(1), TOKYO))).toBe('2025-02-28T15:00:00.000Z');
    expect(iso(dueAt(at('2025-03-31T10:00:00+09:00'), months(1), TOKYO))).toBe('2025-04-30T15:00:00.000Z');
    expect(iso(dueAt(at('2025-01-31T10:00:00+09:00'), months(1, 'elapsed'), TOKYO))).toBe(
      '2025-02-28T01:00:00.000Z',
    );
    expect(iso(dueAt(at('2025-12-15T10:00:00+09:00'), months(2), TOKYO))).toBe('2026-02-15T15:00:00.000Z');
  });

  it('the leap day: reached from January, counted from, and a year on', () => {
    expect(iso(dueAt(at('2024-01-31T09:00:00+09:00'), months(1), TOKYO))).toBe('2024-02-29T15:00:00.000Z');
    expect(iso(dueAt(at('2024-02-29T09:00:00+09:00'), days(30), TOKYO))).toBe('2024-03-30T15:00:00.000Z');
    expect(iso(dueAt(at('2024-02-29T09:00:00+09:00'), months(12), TOKYO))).toBe('2025-02-28T15:00:00.000Z');
    expect(iso(dueAt(at('2024-02-28T12:00:00+09:00'), hours(24), TOKYO))).toBe('2024-02-29T03:00:00.000Z');
  });

  it('business days skip weekends and Japanese public holidays (Golden Week 2026)', () => {
    // Friday 24 April: 27, 28, (29 昭和の日), 30, 1 May, (2-6: weekend, 憲法記念日, みどりの日, こどもの日, 振替休日), 7 May.
    const from = at('2026-04-24T17:00:00+09:00');
    expect(iso(dueAt(from, businessDays(5), TOKYO, HOLIDAY_CALENDARS['jp-public']))).toBe(
      '2026-05-07T15:00:00.000Z',
    );
    // Without holidays, only the weekend is skipped: Friday 1 May.
    expect(iso(dueAt(from, businessDays(5), TOKYO))).toBe('2026-05-01T15:00:00.000Z');
  });

  it('administrative holidays add 29 December to 3 January', () => {
    const from = at('2026-12-28T10:00:00+09:00');
    expect(iso(dueAt(from, businessDays(1), TOKYO, HOLIDAY_CALENDARS['jp-administrative']))).toBe(
      '2027-01-04T15:00:00.000Z',
    );
    // Public holidays alone: 29 and 30 December are working days (1 January is 元日).
    expect(iso(dueAt(from, businessDays(1), TOKYO, HOLIDAY_CALENDARS['jp-public']))).toBe(
      '2026-12-29T15:00:00.000Z',
    );
    // 11 January 2027 is 成人の日: 5 administrative business days from 28 December end on 8 January, 6 on the 12th.
    expect(iso(dueAt(from, businessDays(5), TOKYO, HOLIDAY_CALENDARS['jp-administrative']))).toBe(
      '2027-01-08T15:00:00.000Z',
    );
    expect(iso(dueAt(from, businessDays(6), TOKYO, HOLIDAY_CALENDARS['jp-administrative']))).toBe(
      '2027-01-12T15:00:00.000Z',
    );
  });

  it('Europe/Brussels across daylight-saving changes: hours elapse, days and months keep the wall clock', () => {
    // Spring forward on 29 March 2026: 72 hours from 12:00 CET end at 13:00 CEST.
    const spring = at('2026-03-27T12:00:00+01:00');
    expect(iso(dueAt(spring, hours(72), BRUSSELS))).toBe('2026-03-30T11:00:00.000Z');
    expect(iso(dueAt(spring, days(3, 'elapsed'), BRUSSELS))).toBe('2026-03-30T10:00:00.000Z');
    // One month from 10:00 CET on 20 March is 10:00 CEST on 20 April.
    expect(iso(dueAt(at('2026-03-20T10:00:00+01:00'), months(1, 'elapsed'), BRUSSELS))).toBe(
      '2026-04-20T08:00:00.000Z',
    );
    // Fall back on 25 October: a day from noon is 25 hours.
    const autumn = at('2026-10-24T12:00:00+02:00');
    expect(dueAt(autumn, days(1, 'elapsed'), BRUSSELS) - autumn).toBe(25 * 3_600_000);
    expect(iso(dueAt(autumn, days(1), BRUSSELS))).toBe('2026-10-25T23:00:00.000Z');
  });
});

describe('the shipped regimes', () => {
  const regimes = loadRegimes();
  const regime = (code: string) => regimes.find((r) => r.code === code)!;
  const facts = (...f: RegimeFact[]) => new Set<RegimeFact>(f);
  const due = (
    r: Regime,
    times: Record<string, string>,
    submitted: Record<string, string> = {},
    f = facts(),
  ) =>
    Object.fromEntries(
      stageDues(r, {
        times: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, at(v)])),
        submitted: Object.fromEntries(Object.entries(submitted).map(([k, v]) => [k, at(v)])),
        facts: f,
      }).map((s) => [
        s.stage,
        { due: iso(s.due), waiting: s.waitingFor, required: s.required, promptly: s.promptly },
      ]),
    );

  it('NIS2: the final report counts from the notification’s submission, and waits for it', () => {
    const nis2 = regime('eu-nis2');
    const before = due(nis2, { aware: '2026-03-27T12:00:00+01:00' });
    expect(before.early_warning!.due).toBe('2026-03-28T11:00:00.000Z');
    expect(before.notification!.due).toBe('2026-03-30T11:00:00.000Z');
    expect(before.final).toMatchObject({ due: null, waiting: { stage: 'notification' } });
    const after = due(
      nis2,
      { aware: '2026-03-27T12:00:00+01:00' },
      { notification: '2026-03-29T10:00:00+02:00' },
    );
    expect(after.final!.due).toBe('2026-04-29T08:00:00.000Z');
  });

  it('DORA: 4 hours after classification, but never later than 24 hours after awareness; then 72 hours and a month', () => {
    const dora = regime('eu-dora');
    expect(due(dora, { aware: '2026-06-01T08:00:00+02:00' }).initial!.due).toBe('2026-06-02T06:00:00.000Z');
    expect(
      due(dora, { aware: '2026-06-01T08:00:00+02:00', classified_major: '2026-06-01T10:00:00+02:00' })
        .initial!.due,
    ).toBe('2026-06-01T12:00:00.000Z');
    expect(
      due(dora, { aware: '2026-06-01T08:00:00+02:00', classified_major: '2026-06-02T05:00:00+02:00' })
        .initial!.due,
    ).toBe('2026-06-02T06:00:00.000Z');
    const later = due(
      dora,
      { aware: '2026-06-01T08:00:00+02:00' },
      { initial: '2026-06-01T11:00:00+02:00', intermediate: '2026-06-04T09:00:00+02:00' },
    );
    expect(later.intermediate!.due).toBe('2026-06-04T09:00:00.000Z');
    expect(later.final!.due).toBe('2026-07-04T07:00:00.000Z');
  });

  it('PPC: 60 days instead of 30 for a leak by a cyber attack; the preliminary report is prompt', () => {
    const ppc = regime('jp-ppc');
    const aware = { aware: '2026-11-30T18:00:00+09:00' };
    expect(due(ppc, aware).confirmed!.due).toBe('2026-12-30T15:00:00.000Z');
    expect(due(ppc, aware, {}, facts('cyber_attack')).confirmed!.due).toBe('2027-01-29T15:00:00.000Z');
    expect(due(ppc, aware).preliminary).toMatchObject({ promptly: true, due: '2026-12-05T15:00:00.000Z' });
  });

  it('telecommunications: counted from occurrence, from awareness for a leak of the secrecy of communications', () => {
    const telecom = regime('jp-telecom');
    const times = { occurred: '2026-01-10T09:00:00+09:00', aware: '2026-01-20T09:00:00+09:00' };
    expect(due(telecom, times).detailed!.due).toBe('2026-02-09T15:00:00.000Z');
    expect(due(telecom, times, {}, facts('secrecy_of_communications')).detailed!.due).toBe(
      '2026-02-19T15:00:00.000Z',
    );
  });

  it('CIRCIA: the ransom payment report is required only when a ransom was paid', () => {
    const circia = regime('us-circia');
    expect(due(circia, { aware: '2026-05-01T12:00:00Z' }, {}, facts('cyber_attack')).ransom!.required).toBe(
      false,
    );
    const paid = due(
      circia,
      { aware: '2026-05-01T12:00:00Z', ransom_paid: '2026-05-03T15:00:00Z' },
      {},
      facts('cyber_attack', 'ransom_paid'),
    );
    expect(paid.ransom).toMatchObject({ required: true, due: '2026-05-04T15:00:00.000Z' });
  });

  it('applies by sector, organisation flag, facts and effective date', () => {
    const acd = regime('jp-acd');
    const electricityOperator = {
      sector: 'electricity',
      flags: new Set(['designated_operator'] as const),
      facts: facts('cyber_attack', 'personal_data'),
    };
    expect(applies(acd, electricityOperator, '2026-10-01')).toBe(true);
    expect(applies(acd, electricityOperator, '2026-09-30')).toBe(false);
    expect(applies(acd, { ...electricityOperator, flags: new Set() }, '2026-12-01')).toBe(false);
    expect(applies(regime('jp-electricity'), electricityOperator, '2026-12-01')).toBe(true);
    expect(applies(regime('jp-ppc'), electricityOperator, '2026-12-01')).toBe(true);
    expect(applies(regime('jp-gas'), electricityOperator, '2026-12-01')).toBe(false);
    expect(applies(regime('eu-nis2'), electricityOperator, '2026-12-01')).toBe(false);
  });
});
