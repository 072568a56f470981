import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Classification } from '../../src/domain/counting.js';
import { accumulate, contributionsOf, parseDeltaKey } from '../../src/domain/counting.js';
import type { InfoSharingStats, RollupCount } from '../../src/domain/info-sharing-stats.js';
import { buildInfoSharingStats } from '../../src/domain/info-sharing-stats.js';
import { FiscalCalendar } from '../../src/domain/fiscal-calendar.js';
import type { ReportLine } from '../../src/domain/report-line.js';
import { parseInstant, reportLineSchema } from '../../src/domain/report-line.js';
import { rollupOfLines } from '../support/rollup-of-lines.js';
import { loadTaxonomy } from '../../src/domain/taxonomy.js';
import { generateFiscalYearDataset } from '../../src/demo/dataset.js';
import { readJsonl } from '../../src/demo/dataset-io.js';
import { generateRecentRecords } from '../../src/demo/dataset-recent.js';
import { fiscalYearTarget } from '../../src/demo/dataset-target.js';
import { GOLDEN_FY2023_FILE, goldenFy2023Lines } from '../../src/demo/golden.js';
import { publishedAggregates, publishedTables } from '../../src/modules/stats/published.js';
import { mulberry32 } from '../../src/demo/rng.js';

const taxonomy = loadTaxonomy();
const schema = reportLineSchema(taxonomy);
const calendar = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 });
const aggregates = publishedAggregates();
const lines = goldenFy2023Lines();

const at = (line: ReportLine): number => {
  const parsed = parseInstant(line.received_at);
  if (!parsed.ok) throw new Error(`bad time ${line.received_at}`);
  return parsed.epochMs;
};
const period = (line: ReportLine) => {
  const { fiscalYear, quarter } = calendar.periodOf(at(line));
  return `FY${fiscalYear}Q${quarter}`;
};
const classification = (l: ReportLine) =>
  `${l.event}|${[...(l.causes ?? [])].sort().join(',')}|${l.attack_type ?? ''}`;

/** Operator incidents: their lines in file order, and the same lines in received order. */
function incidents(of: readonly ReportLine[]) {
  const byRef = new Map<string, ReportLine[]>();
  for (const line of of)
    if (line.channel === 'operator_report') byRef.set(line.ref, [...(byRef.get(line.ref) ?? []), line]);
  const rank = { initial: 0, update: 1, final: 2 };
  return [...byRef.values()].map((inFile) => ({
    inFile,
    received: [...inFile].sort((a, b) => at(a) - at(b) || rank[a.stage!] - rank[b.stage!]),
  }));
}

const statsInput = (withAggregates = true) => ({
  fiscalYear: 2023,
  history: 4,
  calendar,
  taxonomy,
  aggregates: withAggregates ? aggregates.filter((a) => a.fiscalYear < 2023) : [],
});

function statsOf(of: readonly ReportLine[], withAggregates: boolean): InfoSharingStats {
  return buildInfoSharingStats({ ...statsInput(withAggregates), rollup: rollupOfLines(of, calendar) });
}

/** A counter with a rule of its own, to show that the dataset tells such rules apart from the real ones. */
function naiveRollup(
  of: readonly ReportLine[],
  cal: FiscalCalendar,
  pick: (inFile: ReportLine[]) => { counted: ReportLine; speaks: ReportLine },
): RollupCount[] {
  const byRef = new Map<string, ReportLine[]>();
  for (const line of of) byRef.set(line.ref, [...(byRef.get(line.ref) ?? []), line]);
  const deltas = new Map<string, number>();
  for (const inFile of byRef.values()) {
    const { counted, speaks } = pick(inFile);
    const c: Classification | null = speaks.event
      ? { event: speaks.event, causes: speaks.causes ?? [], attackType: speaks.attack_type ?? null }
      : null;
    accumulate(
      deltas,
      contributionsOf({ channel: counted.channel, firstReceivedAt: at(counted), classification: c }, cal),
      1,
    );
  }
  return [...deltas].map(([key, n]) => ({ ...parseDeltaKey(key), n }));
}

describe('generated FY2023 dataset', () => {
  it('passes the report line schema, line by line', () => {
    const failures = lines.flatMap((line, i) => {
      const result = schema.safeParse(line);
      return result.success ? [] : [`line ${i + 1}: ${result.error.message}`];
    });
    expect(failures).toEqual([]);
  });

  it('counts to the published tables, all nine columns', () => {
    const stats = statsOf(lines, true);
    expect(stats.column_sources).toEqual([
      ...Array<string>(4).fill('aggregates'),
      ...Array<string>(5).fill('records'),
    ]);
    expect(stats.tables).toEqual(publishedTables());
  });

  it('counts the same whatever the order of its lines', () => {
    const shuffled = mulberry32(7).shuffle(lines);
    expect(rollupOfLines(shuffled, calendar)).toEqual(rollupOfLines(lines, calendar));
    expect(rollupOfLines([...lines].reverse(), calendar)).toEqual(rollupOfLines(lines, calendar));
  });

  it('tells wrong counting rules apart from the real ones', () => {
    const earliest = (ls: ReportLine[]) => ls.reduce((a, b) => (at(b) < at(a) ? b : a));
    const latest = (ls: ReportLine[]) => incidents(ls)[0]?.received.at(-1) ?? ls[ls.length - 1]!;
    const utc = new FiscalCalendar({ timeZone: 'UTC', fiscalYearStartMonth: 4 });
    const wrong: Record<string, RollupCount[]> = {
      'the last line in the file speaks': naiveRollup(lines, calendar, (ls) => ({
        counted: earliest(ls),
        speaks: ls.at(-1)!,
      })),
      'the first report speaks': naiveRollup(lines, calendar, (ls) => ({
        counted: earliest(ls),
        speaks: earliest(ls),
      })),
      'counted when the latest report came': naiveRollup(lines, calendar, (ls) => ({
        counted: latest(ls),
        speaks: latest(ls),
      })),
      'counted in the first line of the file': naiveRollup(lines, calendar, (ls) => ({
        counted: ls[0]!,
        speaks: latest(ls),
      })),
      'quarters in UTC': rollupOfLines(lines, utc),
    };
    for (const [rule, rollup] of Object.entries(wrong)) {
      const stats = buildInfoSharingStats({ ...statsInput(), rollup });
      expect.soft(stats.tables, rule).not.toEqual(publishedTables());
    }
  });

  it('has refs that are unique per incident', () => {
    const refs = new Map<string, string>();
    for (const line of lines) {
      expect(refs.get(line.ref) ?? line.channel).toBe(line.channel);
      refs.set(line.ref, line.channel);
      expect(line.ref).toMatch(/^FY2023-(OP-\d{6}|AG-\d{3}|CP-\d{3})$/);
    }
  });

  it.each([
    ['2023-03-31T15:00:00Z', 'FY2023Q1'],
    ['2023-06-30T14:59:59Z', 'FY2023Q1'],
    ['2023-06-30T15:00:00Z', 'FY2023Q2'],
    ['2023-09-30T23:59:59+09:00', 'FY2023Q2'],
    ['2023-10-01T00:00:00+09:00', 'FY2023Q3'],
    ['2023-12-31T15:00:00Z', 'FY2023Q4'],
    ['2024-03-31T23:59:59+09:00', 'FY2023Q4'],
  ])('has several lines at the quarter edge %s, in both notations', (edge, expected) => {
    const instant = Date.parse(edge);
    const exact = lines.filter((l) => l.received_at === edge);
    const otherNotation = lines.filter((l) => l.received_at !== edge && at(l) === instant);
    expect(exact.length).toBeGreaterThanOrEqual(2);
    expect(otherNotation.length).toBeGreaterThanOrEqual(2);
    expect(period(exact[0]!)).toBe(expected);
  });

  it('has several incidents on the leap day 2024-02-29 (Tokyo), written in both notations', () => {
    const leap = lines.filter(
      (l) => calendar.zone.local(at(l)).month === 2 && calendar.zone.local(at(l)).day === 29,
    );
    expect(leap.length).toBeGreaterThanOrEqual(4);
    expect(leap.some((l) => l.received_at.endsWith('Z'))).toBe(true);
    expect(leap.some((l) => l.received_at.endsWith('+09:00'))).toBe(true);
    // Local midnight of the leap day written in UTC reads as the 28th.
    expect(leap.some((l) => l.received_at.startsWith('2024-02-28T15:00:00'))).toBe(true);
  });

  it('has incidents whose later stages fall in a later quarter and carry another classification', () => {
    const moved = incidents(lines).filter(({ received }) => {
      const [first, last] = [received[0]!, received[received.length - 1]!];
      return period(first) !== period(last) && classification(first) !== classification(last);
    });
    for (const q of ['FY2023Q1', 'FY2023Q2', 'FY2023Q3', 'FY2023Q4']) {
      expect(moved.filter(({ received }) => period(received[0]!) === q).length).toBeGreaterThanOrEqual(3);
    }
    expect(
      moved.filter(({ received }) => period(received[received.length - 1]!).startsWith('FY2024')).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('has incidents first reported in the last second of a quarter and updated at the start of the next', () => {
    const crossing = incidents(lines).filter(({ received }) => {
      const [initial, update] = received;
      return (
        update?.stage === 'update' &&
        at(update) - at(initial!) === 1000 &&
        period(initial!) !== period(update)
      );
    });
    expect(new Set(crossing.map(({ received }) => period(received[0]!)))).toEqual(
      new Set(['FY2023Q1', 'FY2023Q2', 'FY2023Q3', 'FY2023Q4']),
    );
  });

  it('has stage lines written out of order, the final before the initial', () => {
    const reversed = incidents(lines).filter(({ inFile }) => {
      const final = inFile.findIndex((l) => l.stage === 'final');
      return final >= 0 && final < inFile.findIndex((l) => l.stage === 'initial');
    });
    expect(reversed.length).toBeGreaterThanOrEqual(8);
    // and in these the last line in the file is not the one that counts
    expect(
      reversed.every(({ inFile, received }) => inFile[inFile.length - 1] !== received[received.length - 1]),
    ).toBe(true);
  });

  it('is the same for the same seed and differs for another seed', () => {
    const target = fiscalYearTarget(aggregates, 2023);
    expect(generateFiscalYearDataset({ fiscalYear: 2023, target, seed: 42 })).toEqual(
      generateFiscalYearDataset({ fiscalYear: 2023, target, seed: 42 }),
    );
    expect(generateFiscalYearDataset({ fiscalYear: 2023, target, seed: 43 })).not.toEqual(
      generateFiscalYearDataset({ fiscalYear: 2023, target, seed: 42 }),
    );
    expect(statsOf(generateFiscalYearDataset({ fiscalYear: 2023, target, seed: 43 }), true).tables).toEqual(
      publishedTables(),
    );
  });

  it('is what the committed golden file holds (regenerate with npx tsx test/fixtures/generate-golden.ts)', () => {
    expect(readJsonl(GOLDEN_FY2023_FILE)).toEqual(JSON.parse(JSON.stringify(lines)));
    expect(readFileSync(GOLDEN_FY2023_FILE).length).toBeLessThan(1_000_000);
  });
});

describe('recent records', () => {
  const recent = generateRecentRecords({ fiscalYear: 2024, count: 120, seed: 5 });

  it('are valid FY2024 report lines, several stages for some incidents', () => {
    expect(recent.filter((l) => !schema.safeParse(l).success)).toEqual([]);
    const refs = new Set(recent.map((l) => l.ref));
    expect(refs.size).toBe(120);
    expect(recent.length).toBeGreaterThan(refs.size);
    const rollup = rollupOfLines(recent, calendar);
    expect(rollup.every((r) => calendar.periodOfMonthKey(r.month).fiscalYear === 2024)).toBe(true);
    expect(rollup.filter((r) => r.table === 'channels').reduce((a, r) => a + r.n, 0)).toBe(120);
  });

  it('are deterministic for a seed', () => {
    expect(generateRecentRecords({ fiscalYear: 2024, count: 120, seed: 5 })).toEqual(recent);
  });
});

describe('sample fixture', () => {
  it('counts to sample-reports.expected-fy2023.json without aggregates', () => {
    const sample = readJsonl(new URL('../fixtures/sample-reports.jsonl', import.meta.url)).map((l) =>
      schema.parse(l),
    );
    const expected = JSON.parse(
      readFileSync(new URL('../fixtures/sample-reports.expected-fy2023.json', import.meta.url), 'utf8'),
    ) as InfoSharingStats;
    expect(statsOf(sample, false).tables).toEqual(expected.tables);
  });
});
