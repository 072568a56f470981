import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Classification } from '../../src/domain/counting.js';
import { loadTaxonomy } from '../../src/domain/taxonomy.js';
import { planQuarterClassifications } from '../../src/demo/classify.js';
import type { QuarterTarget } from '../../src/demo/dataset-target.js';
import { mulberry32 } from '../../src/demo/rng.js';

const taxonomy = loadTaxonomy();
const events = taxonomy.data.events.map((e) => e.code);
const causes = taxonomy.data.causes.map((c) => c.code);
const attacks = taxonomy.data.attack_types.map((a) => a.code);

function countsOf(plan: Classification[]): Omit<QuarterTarget, 'channels'> {
  const out = { events: {}, causes: {}, attackTypes: {} } as Omit<QuarterTarget, 'channels'>;
  const bump = (r: Record<string, number>, k: string) => (r[k] = (r[k] ?? 0) + 1);
  for (const c of plan) {
    bump(out.events, c.event);
    c.causes.forEach((k) => bump(out.causes, k));
    if (c.attackType) bump(out.attackTypes, c.attackType);
  }
  return out;
}

const nonZero = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v > 0));

/** Any target the conditions of checkQuarterTarget allow: n incidents, causes each <= n, summing to >= n. */
const targets = fc.integer({ min: 0, max: 60 }).chain((n) =>
  fc
    .record({
      events: fc.array(fc.constantFrom(...events), { minLength: n, maxLength: n }),
      attacks: fc.array(fc.constantFrom(...attacks), { maxLength: n }),
      causes: fc.array(fc.integer({ min: 0, max: n }), {
        minLength: causes.length,
        maxLength: causes.length,
      }),
    })
    .filter((t) => n === 0 || t.causes.reduce((a, b) => a + b, 0) >= n)
    .map((t): QuarterTarget => {
      const tally = (list: string[]) =>
        list.reduce<Record<string, number>>((r, k) => ({ ...r, [k]: (r[k] ?? 0) + 1 }), {});
      return {
        channels: { operator_report: n, agency_share: 0, center_provision: 0 },
        events: tally(t.events),
        attackTypes: tally(t.attacks),
        causes: Object.fromEntries(causes.map((c, i) => [c, n === 0 ? 0 : t.causes[i]!])),
      };
    }),
);

describe('planQuarterClassifications', () => {
  it('meets every satisfiable target exactly, every incident with at least one distinct cause', () => {
    fc.assert(
      fc.property(targets, fc.integer(), (target, seed) => {
        const plan = planQuarterClassifications(target, mulberry32(seed));
        expect(plan).toHaveLength(target.channels.operator_report);
        expect(plan.every((c) => c.causes.length > 0 && new Set(c.causes).size === c.causes.length)).toBe(
          true,
        );
        const counts = countsOf(plan);
        expect(counts.events).toEqual(nonZero(target.events));
        expect(counts.causes).toEqual(nonZero(target.causes));
        expect(counts.attackTypes).toEqual(nonZero(target.attackTypes));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a target no incidents can count to', () => {
    const base: QuarterTarget = {
      channels: { operator_report: 2, agency_share: 0, center_provision: 0 },
      events: { other: 2 },
      causes: { 'other.unknown': 2 },
      attackTypes: {},
    };
    const rng = mulberry32(1);
    expect(() => planQuarterClassifications({ ...base, events: { other: 3 } }, rng, 'Q')).toThrow(
      /events add up to 3/,
    );
    expect(() => planQuarterClassifications({ ...base, causes: { 'other.unknown': 3 } }, rng)).toThrow(
      /other.unknown/,
    );
    expect(() => planQuarterClassifications({ ...base, causes: { 'other.unknown': 1 } }, rng)).toThrow(
      /at least one/,
    );
    expect(() => planQuarterClassifications({ ...base, attackTypes: { ddos: 3 } }, rng)).toThrow(
      /attack types/,
    );
  });

  it('prefers plausible pairings where the counts allow', () => {
    const target: QuarterTarget = {
      channels: { operator_report: 10, agency_share: 0, center_provision: 0 },
      events: { 'availability.disruption': 5, 'integrity.destruction': 3, other: 2 },
      causes: { 'intentional.ddos': 3, 'accidental.vulnerability': 3, 'accidental.equipment_failure': 4 },
      attackTypes: { ddos: 3, ransomware: 3 },
    };
    const plan = planQuarterClassifications(target, mulberry32(3));
    for (const c of plan.filter((p) => p.attackType === 'ddos')) {
      expect(c).toMatchObject({ event: 'availability.disruption', causes: ['intentional.ddos'] });
    }
    expect(
      plan.filter((p) => p.attackType === 'ransomware').every((p) => p.event === 'integrity.destruction'),
    ).toBe(true);
  });
});
