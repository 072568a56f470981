import { describe, expect, it } from 'vitest';
import { applicableRegimes, nextDue, stageStatuses } from '../../src/domain/obligations.js';
import type { OrganizationFlag, RegimeFact } from '../../src/domain/regimes.js';
import { loadRegimes } from '../../src/modules/regimes/index.js';

const regimes = loadRegimes();
const regime = (code: string) => regimes.find((r) => r.code === code)!;
const HOUR = 3600_000;
const at = (s: string) => Date.parse(s);
const facts = (...f: RegimeFact[]) => new Set(f);

describe('an incident’s duties', () => {
  it('apply by sector, flag, facts and the day the regime came into force', () => {
    const designated = {
      sector: 'electricity',
      flags: new Set<OrganizationFlag>(['designated_operator']),
      facts: facts('cyber_attack', 'personal_data'),
    };
    const codes = (when: string) => applicableRegimes(regimes, designated, at(when)).map((r) => r.code);
    expect(codes('2026-11-02T00:00:00Z')).toEqual(['jp-acd', 'jp-ppc', 'jp-electricity']);
    // The Active Cyber Defense law is in force from 2026-10-01 (JST): the day before, no duty under it.
    expect(codes('2026-09-30T14:59:00Z')).toEqual(['jp-ppc', 'jp-electricity']);
    expect(codes('2026-09-30T15:00:00Z')).toContain('jp-acd');
    expect(
      applicableRegimes(regimes, { ...designated, flags: new Set() }, at('2026-11-02T00:00:00Z')).map(
        (r) => r.code,
      ),
    ).toEqual(['jp-ppc', 'jp-electricity']);
  });

  it('a stage is due, then overdue; submitted after its due time it is late; the next one counts on', () => {
    const aware = at('2026-11-01T00:30:00Z');
    const input = { times: { aware }, facts: facts('cyber_attack'), records: {} };
    const electricity = regime('jp-electricity');
    expect(stageStatuses(electricity, input, aware + 23 * HOUR).map((s) => s.state)).toEqual(['due', 'due']);
    expect(stageStatuses(electricity, input, aware + 25 * HOUR).map((s) => s.state)).toEqual([
      'overdue',
      'due',
    ]);
    const late = stageStatuses(
      electricity,
      {
        ...input,
        records: { preliminary: { state: 'submitted', submittedAt: aware + 26 * HOUR, reference: 'R-1' } },
      },
      aware + 27 * HOUR,
    );
    expect(late[0]).toMatchObject({ state: 'submitted', late: true, reference: 'R-1' });
    expect(nextDue(late)?.stage).toBe('detailed');
  });

  it('a stage counted from an earlier submission waits for it; one that is not required says why', () => {
    const nis2 = regime('eu-nis2');
    const aware = at('2026-03-27T10:00:00Z');
    const waiting = stageStatuses(
      nis2,
      { times: { aware }, facts: facts('significant_incident'), records: {} },
      aware,
    );
    expect(waiting.map((s) => s.state)).toEqual(['due', 'due', 'waiting']);
    expect(waiting[2]!.waitingFor).toEqual({ stage: 'notification' });
    const records = {
      early_warning: { state: 'not_required' as const, reason: 'reported the notification at once' },
      notification: { state: 'submitted' as const, submittedAt: aware + 30 * HOUR, reference: null },
    };
    const later = stageStatuses(
      nis2,
      { times: { aware }, facts: facts('significant_incident'), records },
      aware + 31 * HOUR,
    );
    expect(later.map((s) => s.state)).toEqual(['not_required', 'submitted', 'due']);
    expect(later[0]!.reason).toBe('reported the notification at once');
    // One month after 17:00 on 28 March in Brussels (CET) is 17:00 on 28 April (CEST): 15:00Z.
    expect(new Date(later[2]!.due!).toISOString()).toBe('2026-04-28T15:00:00.000Z');
  });

  it('a stage whose facts do not hold is not required (CIRCIA’s ransom report without a payment)', () => {
    const circia = regime('us-circia');
    const aware = at('2026-11-01T00:00:00Z');
    const s = stageStatuses(circia, { times: { aware }, facts: facts('cyber_attack'), records: {} }, aware);
    expect(s.map((x) => x.state)).toEqual(['due', 'not_required']);
  });
});
