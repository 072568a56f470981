import { describe, expect, it } from 'vitest';
import type { Classification, Contribution, CountedIncident, StageFacts } from '../../src/domain/counting.js';
import {
  accumulate,
  compareStages,
  classificationOf,
  contributionsOf,
  decideClassification,
  effectiveClassification,
  firstReceivedAt,
  latestStage,
  parseDeltaKey,
  reporterClassification,
} from '../../src/domain/counting.js';
import { FiscalCalendar } from '../../src/domain/fiscal-calendar.js';

const calendar = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 });
const ms = (iso: string) => Date.parse(iso);

let seq = 0;
function stage(
  kind: StageFacts['stage'],
  receivedAt: string,
  facts: Partial<Classification> = {},
): StageFacts {
  return { stage: kind, receivedAt: ms(receivedAt), seq: ++seq, ...facts };
}

const leak: Classification = {
  event: 'confidentiality.leak',
  causes: ['intentional.info_theft'],
  attackType: 'other',
};

describe('latestStage', () => {
  it('takes the report received last, whatever its stage', () => {
    const final = stage('final', '2023-05-01T00:00:00Z', { event: 'other' });
    const update = stage('update', '2023-05-02T00:00:00Z', { event: 'availability.disruption' });
    expect(latestStage([final, update])).toBe(update);
    expect(latestStage([update, final])).toBe(update);
  });

  it('breaks a tie in received time by stage order, then by insertion order', () => {
    const t = '2023-05-01T00:00:00Z';
    const initial = stage('initial', t);
    const final = stage('final', t);
    const update = stage('update', t);
    expect(latestStage([final, initial, update])).toBe(final);
    const first = stage('update', t);
    const second = stage('update', t);
    expect(latestStage([second, first])).toBe(second);
    expect(compareStages(first, second)).toBeLessThan(0);
  });

  it('refuses an incident without reports', () => {
    expect(() => latestStage([])).toThrow(RangeError);
    expect(() => firstReceivedAt([])).toThrow(RangeError);
  });
});

describe('classification', () => {
  it("is the latest report's when the center has none", () => {
    const stages = [
      stage('initial', '2023-05-01T00:00:00Z', {
        event: 'other',
        causes: ['other.unknown'],
        attackType: null,
      }),
      stage('update', '2023-05-03T00:00:00Z', leak),
    ];
    expect(reporterClassification(stages)).toEqual(leak);
    expect(effectiveClassification(stages, null)).toEqual(leak);
  });

  it("is the center's where it has one", () => {
    const center: Classification = {
      event: 'availability.disruption',
      causes: ['intentional.ddos'],
      attackType: 'ddos',
    };
    const stages = [stage('final', '2023-05-03T00:00:00Z', leak)];
    expect(effectiveClassification(stages, center)).toBe(center);
  });

  it('is missing when the latest report lacks an event or causes', () => {
    expect(reporterClassification([stage('initial', '2023-05-01T00:00:00Z', { event: 'other' })])).toBeNull();
    expect(
      reporterClassification([stage('initial', '2023-05-01T00:00:00Z', { event: 'other', causes: [] })]),
    ).toBeNull();
    const noAttack = reporterClassification([
      stage('initial', '2023-05-01T00:00:00Z', { event: 'other', causes: ['other.other'] }),
    ]);
    expect(noAttack).toEqual({ event: 'other', causes: ['other.other'], attackType: null });
  });
});

describe('classificationOf', () => {
  it('classifies with an event and at least one cause, the attack type optional', () => {
    expect(classificationOf({ event: 'other', causes: ['other.other'] })).toEqual({
      event: 'other',
      causes: ['other.other'],
      attackType: null,
    });
    expect(classificationOf({ event: null, causes: ['other.other'], attackType: 'ddos' })).toBeNull();
    expect(classificationOf({ event: 'other', causes: null })).toBeNull();
    expect(classificationOf({ event: '', causes: ['other.other'] })).toBeNull();
  });

  it('copies the causes: a later change of the report does not change the classification', () => {
    const causes = ['intentional.ddos'];
    const c = classificationOf({ event: 'availability.disruption', causes, attackType: 'ddos' });
    causes.push('other.other');
    expect(c?.causes).toEqual(['intentional.ddos']);
  });
});

describe('decideClassification', () => {
  const center: Classification = { event: 'other', causes: ['other.unknown'], attackType: null };

  it("takes the center's over the reporter's, and says whose it is", () => {
    expect(decideClassification(center, leak)).toEqual({ classification: center, by: 'center' });
    expect(decideClassification(null, leak)).toEqual({ classification: leak, by: 'reporter' });
    expect(decideClassification(center, null)?.classification).toBe(center);
  });

  it('is missing when neither has one', () => {
    expect(decideClassification(null, null)).toBeNull();
  });

  it("is the center's even without stages to read (effectiveClassification)", () => {
    expect(effectiveClassification([], center)).toBe(center);
    expect(() => effectiveClassification([], null)).toThrow(RangeError);
  });
});

describe('contributionsOf', () => {
  const sorted = (list: Contribution[]) => list.map((c) => `${c.month}|${c.table}|${c.code}`).sort();

  it('counts in the local month of the first received report', () => {
    // 2023-06-30T14:59Z is still June in Tokyo (FY2023 Q1); the update arrives in July (Q2).
    const stages = [
      stage('update', '2023-07-03T01:00:00Z', leak),
      stage('initial', '2023-06-30T14:59:00Z', leak),
    ];
    const incident: CountedIncident = {
      channel: 'operator_report',
      firstReceivedAt: firstReceivedAt(stages),
      classification: leak,
    };
    const out = contributionsOf(incident, calendar);
    expect(new Set(out.map((c) => c.month))).toEqual(new Set(['2023-06']));
    expect(sorted(out)).toEqual([
      '2023-06|attack_types|other',
      '2023-06|causes|intentional.info_theft',
      '2023-06|channels|operator_report',
      '2023-06|events|confidentiality.leak',
      '2023-06|sectors|unknown',
    ]);
  });

  it('counts each cause once, however often it is listed', () => {
    const classification = {
      event: 'other',
      causes: ['other.other', 'other.unknown', 'other.other'],
      attackType: null,
    };
    const out = contributionsOf(
      { channel: 'operator_report', firstReceivedAt: ms('2024-02-29T00:00:00Z'), classification },
      calendar,
    );
    expect(sorted(out)).toEqual([
      '2024-02|causes|other.other',
      '2024-02|causes|other.unknown',
      '2024-02|channels|operator_report',
      '2024-02|events|other',
      '2024-02|sectors|unknown',
    ]);
  });

  it('counts an attack type only when one is set', () => {
    const base = { channel: 'operator_report' as const, firstReceivedAt: ms('2023-04-01T00:00:00+09:00') };
    const none = contributionsOf({ ...base, classification: { ...leak, attackType: null } }, calendar);
    expect(none.some((c) => c.table === 'attack_types')).toBe(false);
    const some = contributionsOf(
      { ...base, classification: { ...leak, attackType: 'ransomware' } },
      calendar,
    );
    expect(some.filter((c) => c.table === 'attack_types')).toEqual([
      { month: '2023-04', table: 'attack_types', code: 'ransomware' },
    ]);
  });

  it('counts shares and provisions only under channels, even when they carry a classification', () => {
    for (const channel of ['agency_share', 'center_provision'] as const) {
      const out = contributionsOf(
        { channel, firstReceivedAt: ms('2023-10-01T00:00:00+09:00'), classification: leak },
        calendar,
      );
      expect(out).toEqual([{ month: '2023-10', table: 'channels', code: channel }]);
    }
  });

  it('counts an unclassified operator report under channels and its sector only', () => {
    const out = contributionsOf(
      {
        channel: 'operator_report',
        firstReceivedAt: ms('2023-10-01T00:00:00Z'),
        classification: null,
        sector: 'water',
      },
      calendar,
    );
    expect(out).toEqual([
      { month: '2023-10', table: 'channels', code: 'operator_report' },
      { month: '2023-10', table: 'sectors', code: 'water' },
    ]);
  });
});

describe('delta accumulation', () => {
  it('adds and removes contributions and round-trips its keys', () => {
    const incident: CountedIncident = {
      channel: 'operator_report',
      firstReceivedAt: ms('2023-05-01T00:00:00Z'),
      classification: leak,
    };
    const before = contributionsOf(incident, calendar);
    const after = contributionsOf(
      { ...incident, classification: { ...leak, attackType: 'ransomware' } },
      calendar,
    );
    const deltas = new Map<string, number>();
    accumulate(deltas, before, 1);
    accumulate(deltas, before, -1);
    accumulate(deltas, after, 1);
    expect(deltas.get('2023-05|attack_types|ransomware')).toBe(1);
    expect(deltas.get('2023-05|attack_types|other')).toBe(0);
    expect(deltas.get('2023-05|channels|operator_report')).toBe(1);
    expect(parseDeltaKey('2023-05|causes|intentional.info_theft')).toEqual({
      month: '2023-05',
      table: 'causes',
      code: 'intentional.info_theft',
    });
  });
});
