import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StatTable } from '../../src/domain/counting.js';
import { STAT_TABLES } from '../../src/domain/counting.js';
import type { InfoSharingStats } from '../../src/domain/info-sharing-stats.js';
import { suppressInfoSharing } from '../../src/domain/stats-suppression.js';
import { publishedTables } from '../../src/modules/stats/published.js';

/**
 * The public edition's statistics: no suppressed cell can be derived from what is published. The
 * check here is the reader's, written independently of the implementation: every relation a reader
 * knows (a row's quarters add to its year; a column's event types add to its operator reports; the
 * attack types add to their total), alone, and every sum and difference of two of them. A cell is
 * derivable when such a combination, after the published figures are put in, has one hidden cell left.
 */

const COLUMNS = [
  'FY2019',
  'FY2020',
  'FY2021',
  'FY2022',
  'FY2023Q1',
  'FY2023Q2',
  'FY2023Q3',
  'FY2023Q4',
  'FY2023',
];
const QUARTERS = [4, 5, 6, 7];
const YEAR = 8;
const template = publishedTables();

function statsOf(tables: Record<StatTable, Record<string, number[]>>): InfoSharingStats {
  return {
    fiscal_year: 2023,
    columns: COLUMNS,
    column_sources: COLUMNS.map(() => 'records'),
    column_states: COLUMNS.map(() => 'closed'),
    tables,
    labels: Object.fromEntries(
      STAT_TABLES.map((t) => [t, Object.keys(template[t]).map((code) => ({ code, ja: code, en: code }))]),
    ) as InfoSharingStats['labels'],
    published_years: [],
  };
}

type Term = [key: string, coefficient: number];
/** The relations a reader of the four tables knows, each summing to 0. */
function readerRelations(): Term[][] {
  const relations: Term[][] = [];
  for (const table of STAT_TABLES)
    for (const code of Object.keys(template[table]))
      relations.push([
        ...QUARTERS.map((c): Term => [`${table}/${code}/${c}`, 1]),
        [`${table}/${code}/${YEAR}`, -1],
      ]);
  for (let c = 0; c < COLUMNS.length; c++) {
    relations.push([
      ...Object.keys(template.events).map((code): Term => [`events/${code}/${c}`, 1]),
      [`channels/operator_report/${c}`, -1],
    ]);
    relations.push([
      ...Object.keys(template.attack_types)
        .filter((code) => code !== 'total')
        .map((code): Term => [`attack_types/${code}/${c}`, 1]),
      [`attack_types/total/${c}`, -1],
    ]);
  }
  return relations;
}
const RELATIONS = readerRelations();

/** The hidden cells some relation, or sum or difference of two, pins down alone. */
function derivable(hidden: ReadonlySet<string>): string[] {
  const pinned = new Set<string>();
  const check = (terms: Map<string, number>) => {
    const open = [...terms].filter(([k, v]) => v !== 0 && hidden.has(k));
    if (open.length === 1) pinned.add(open[0]![0]);
  };
  const asMap = (r: Term[]) => new Map(r);
  for (let i = 0; i < RELATIONS.length; i++) {
    check(asMap(RELATIONS[i]!));
    for (let j = i + 1; j < RELATIONS.length; j++) {
      for (const sign of [1, -1]) {
        const m = asMap(RELATIONS[i]!);
        for (const [k, v] of RELATIONS[j]!) m.set(k, (m.get(k) ?? 0) + sign * v);
        check(m);
      }
    }
  }
  return [...pinned];
}

function hiddenCells(stats: ReturnType<typeof suppressInfoSharing>): Set<string> {
  const hidden = new Set<string>();
  for (const table of STAT_TABLES)
    for (const [code, values] of Object.entries(stats.tables[table]))
      values.forEach((v, c) => v === null && hidden.add(`${table}/${code}/${c}`));
  return hidden;
}

/** Random tables that satisfy every relation, with many small counts. */
const tables = fc
  .record({
    events: fc.array(fc.array(fc.nat(6), { minLength: 8, maxLength: 8 }), { minLength: 8, maxLength: 8 }),
    causes: fc.array(fc.array(fc.nat(5), { minLength: 8, maxLength: 8 }), { minLength: 20, maxLength: 20 }),
    attacks: fc.array(fc.array(fc.nat(4), { minLength: 8, maxLength: 8 }), { minLength: 4, maxLength: 4 }),
    channels: fc.array(fc.array(fc.nat(4), { minLength: 8, maxLength: 8 }), { minLength: 2, maxLength: 2 }),
  })
  .map((r) => {
    const withYear = (row: number[]) => [...row, row[4]! + row[5]! + row[6]! + row[7]!];
    const rows = (table: StatTable, values: number[][]) =>
      Object.fromEntries(
        Object.keys(template[table]).map((code, i) => [code, withYear(values[i % values.length]!)]),
      );
    const events = rows('events', r.events);
    const attackRows = Object.fromEntries(
      Object.keys(template.attack_types)
        .filter((c) => c !== 'total')
        .map((code, i) => [code, withYear(r.attacks[i]!)]),
    );
    const attackTotal = COLUMNS.map((_, c) => Object.values(attackRows).reduce((s, row) => s + row[c]!, 0));
    const operator = COLUMNS.map((_, c) => Object.values(events).reduce((s, row) => s + row[c]!, 0));
    return {
      channels: {
        operator_report: operator,
        agency_share: withYear(r.channels[0]!),
        center_provision: withYear(r.channels[1]!),
      },
      events,
      causes: rows('causes', r.causes),
      attack_types: { total: attackTotal, ...attackRows },
    };
  });

describe('suppression of the public edition’s statistics', () => {
  it('hides the published FY2023 tables’ small counts so that none can be derived, and shows the rest as published', () => {
    const result = suppressInfoSharing(statsOf(template), 3);
    const hidden = hiddenCells(result);
    expect(hidden.size).toBeGreaterThan(0);
    expect(derivable(hidden)).toEqual([]);
    // The reader's check has teeth: hiding only the small counts would give some of them away.
    const primary = new Set<string>();
    for (const table of STAT_TABLES)
      for (const [code, values] of Object.entries(template[table]))
        values.forEach((v, c) => v > 0 && v < 3 && primary.add(`${table}/${code}/${c}`));
    expect(derivable(primary).length).toBeGreaterThan(0);
    for (const table of STAT_TABLES)
      for (const [code, values] of Object.entries(template[table]))
        values.forEach((v, c) => {
          const shown = result.tables[table][code]![c];
          if (v > 0 && v < 3) expect(shown, `${table}/${code}/${c} = ${v}`).toBeNull();
          if (shown !== null) expect(shown).toBe(v);
          const mark = result.marks[table][code]![c];
          expect(mark).toBe(shown !== null ? null : v > 0 && v < 3 ? '≤2' : 'x');
        });
  });

  it('leaves no suppressed cell derivable in random tables with many small counts', () => {
    fc.assert(
      fc.property(tables, fc.integer({ min: 2, max: 4 }), (t, threshold) => {
        const result = suppressInfoSharing(statsOf(t), threshold);
        const hidden = hiddenCells(result);
        expect(derivable(hidden)).toEqual([]);
        for (const table of STAT_TABLES)
          for (const [code, values] of Object.entries(t[table]))
            values.forEach((v, c) => {
              if (v > 0 && v < threshold) expect(result.tables[table][code]![c]).toBeNull();
            });
      }),
      { numRuns: 25 },
    );
  });

  it('with a threshold of 0 or 1 hides nothing', () => {
    expect(hiddenCells(suppressInfoSharing(statsOf(template), 1)).size).toBe(0);
  });
});
