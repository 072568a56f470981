import { describe, expect, it } from 'vitest';
import { STAT_TABLES } from '../../src/domain/counting.js';
import { FiscalCalendar } from '../../src/domain/fiscal-calendar.js';
import type { AggregateValue, RollupCount } from '../../src/domain/info-sharing-stats.js';
import { buildInfoSharingStats, rowLabels, statsColumns } from '../../src/domain/info-sharing-stats.js';
import { loadTaxonomy } from '../../src/domain/taxonomy.js';

const calendar = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 });
const taxonomy = loadTaxonomy();

const agg = (
  fiscalYear: number,
  quarter: AggregateValue['quarter'],
  table: AggregateValue['table'],
  code: string,
  value: number,
) => ({ fiscalYear, quarter, table, code, value }) satisfies AggregateValue;
const roll = (month: string, table: RollupCount['table'], code: string, n: number) =>
  ({ month, table, code, n }) satisfies RollupCount;

// FY2021 only as published totals; FY2022 nowhere; FY2023 as records.
const aggregates: AggregateValue[] = [
  agg(2021, 0, 'channels', 'operator_report', 407),
  agg(2021, 0, 'attack_types', 'total', 174),
  agg(2021, 0, 'attack_types', 'ransomware', 46),
];
const rollup: RollupCount[] = [
  roll('2023-04', 'channels', 'operator_report', 2), // Q1
  roll('2023-06', 'channels', 'operator_report', 1), // Q1
  roll('2023-07', 'channels', 'agency_share', 1), // Q2
  roll('2024-03', 'channels', 'operator_report', 4), // Q4
  roll('2023-04', 'attack_types', 'ransomware', 1),
  roll('2023-06', 'attack_types', 'ddos', 2),
  roll('2024-03', 'attack_types', 'ransomware', 3),
  roll('2024-03', 'causes', 'other.unknown', 4),
  roll('2024-01', 'events', 'other', 0), // a zero row marks nothing
  roll('2024-04', 'channels', 'operator_report', 50), // FY2024: outside the table
  roll('2021-05', 'channels', 'center_provision', 0), // zero rows do not turn FY2021 into a record year
];

const stats = buildInfoSharingStats({ fiscalYear: 2023, history: 2, calendar, taxonomy, rollup, aggregates });
const column = (label: string) => stats.columns.indexOf(label);

describe('statsColumns', () => {
  it('lists past years, the quarters and the year total', () => {
    expect(statsColumns(2023, 4).map((c) => c.label)).toEqual([
      ...['FY2019', 'FY2020', 'FY2021', 'FY2022'],
      ...['FY2023Q1', 'FY2023Q2', 'FY2023Q3', 'FY2023Q4', 'FY2023'],
    ]);
    expect(statsColumns(2023, 0).map((c) => [c.fiscalYear, c.quarter])).toEqual([
      [2023, 1],
      [2023, 2],
      [2023, 3],
      [2023, 4],
      [2023, 0],
    ]);
  });
});

describe('rowLabels', () => {
  it('follows the taxonomy, with groups for events and causes and a total first for attack types', () => {
    const labels = rowLabels(taxonomy);
    expect(labels.channels.map((r) => r.code)).toEqual([
      'operator_report',
      'agency_share',
      'center_provision',
    ]);
    expect(labels.events[0]).toMatchObject({
      code: 'not_occurred.precursor',
      group: 'not_occurred',
      group_ja: '未発生の事象',
    });
    expect(labels.causes.every((r) => r.group_ja && r.group_en)).toBe(true);
    expect(labels.attack_types.map((r) => r.code)).toEqual([
      'total',
      'ransomware',
      'malware_other',
      'ddos',
      'other',
    ]);
    expect(labels.channels[0]).not.toHaveProperty('group');
  });
});

describe('a published year', () => {
  // FY2020 is published as a total; one backdated record and one far-future record arrive.
  const published = [
    agg(2020, 0, 'channels', 'operator_report', 309),
    agg(2020, 0, 'channels', 'agency_share', 16),
    agg(2020, 0, 'channels', 'center_provision', 64),
  ];
  const late = [
    roll('2020-06', 'channels', 'operator_report', 1),
    roll('2020-06', 'sectors', 'electricity', 1),
    roll('2021-02', 'channels', 'agency_share', 2),
  ];
  const frozen = buildInfoSharingStats({
    fiscalYear: 2020,
    history: 1,
    calendar,
    taxonomy,
    rollup: late,
    aggregates: published,
  });

  it('keeps exactly its published figures whatever records it holds, and counts those records beside them', () => {
    const total = frozen.columns.indexOf('FY2020');
    expect(frozen.column_sources[total]).toBe('aggregates');
    expect(frozen.column_states[total]).toBe('published');
    expect(frozen.tables.channels['operator_report']![total]).toBe(309);
    expect(frozen.tables.channels['agency_share']![total]).toBe(16);
    expect(frozen.tables.channels['center_provision']![total]).toBe(64);
    expect(frozen.published_years).toEqual([{ fiscal_year: 2020, records: 3 }]);
  });

  it('shows no figure for a quarter that was never published (not a 0 from the records)', () => {
    for (const q of [1, 2, 3, 4]) {
      expect(frozen.tables.channels['operator_report']![frozen.columns.indexOf(`FY2020Q${q}`)]).toBeNull();
    }
  });
});

describe('buildInfoSharingStats', () => {
  it('tells where each column comes from', () => {
    expect(stats.fiscal_year).toBe(2023);
    expect(stats.columns).toEqual([
      'FY2021',
      'FY2022',
      'FY2023Q1',
      'FY2023Q2',
      'FY2023Q3',
      'FY2023Q4',
      'FY2023',
    ]);
    expect(stats.column_sources).toEqual([
      'aggregates',
      'none',
      'records',
      'records',
      'records',
      'records',
      'records',
    ]);
  });

  it('counts a year with records from the records, by quarter of the month', () => {
    expect(stats.tables.channels['operator_report']).toEqual([407, 0, 3, 0, 0, 4, 7]);
    expect(stats.tables.channels['agency_share']).toEqual([0, 0, 0, 1, 0, 0, 1]);
    expect(stats.tables.causes['other.unknown']).toEqual([0, 0, 0, 0, 0, 4, 4]);
  });

  it('shows a year without records from its published aggregates, and zeros where there are none', () => {
    expect(stats.tables.attack_types['total']![column('FY2021')]).toBe(174);
    expect(stats.tables.attack_types['ransomware']![column('FY2021')]).toBe(46);
    expect(stats.tables.attack_types['ddos']![column('FY2021')]).toBe(0);
    for (const table of STAT_TABLES) {
      for (const values of Object.values(stats.tables[table])) expect(values[column('FY2022')]).toBe(0);
    }
  });

  it('makes the attack-type total of a record year the sum of the types', () => {
    expect(stats.tables.attack_types['ransomware']).toEqual([46, 0, 1, 0, 0, 3, 4]);
    expect(stats.tables.attack_types['ddos']).toEqual([0, 0, 2, 0, 0, 0, 2]);
    const total = stats.tables.attack_types['total']!;
    for (let i = column('FY2023Q1'); i < stats.columns.length; i++) {
      const sum = ['ransomware', 'malware_other', 'ddos', 'other'].reduce(
        (s, code) => s + stats.tables.attack_types[code]![i]!,
        0,
      );
      expect(total[i], stats.columns[i]).toBe(sum);
    }
    expect(total[column('FY2023')]).toBe(6);
  });

  it('has the year total equal to the sum of its quarters in every record row', () => {
    for (const table of STAT_TABLES) {
      for (const [code, values] of Object.entries(stats.tables[table])) {
        expect(values, `${table}/${code}`).toHaveLength(stats.columns.length);
        const quarters = values.slice(column('FY2023Q1'), column('FY2023Q4') + 1);
        expect(values[column('FY2023')], `${table}/${code}`).toBe(
          quarters.reduce<number>((a, b) => a + (b ?? 0), 0),
        );
      }
    }
  });

  it('has one row per label in every table', () => {
    for (const table of STAT_TABLES) {
      expect(Object.keys(stats.tables[table]).sort()).toEqual(stats.labels[table].map((r) => r.code).sort());
    }
  });

  it('follows the fiscal calendar it is given', () => {
    const january = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 1 });
    const built = buildInfoSharingStats({
      fiscalYear: 2024,
      history: 0,
      calendar: january,
      taxonomy,
      rollup,
      aggregates: [],
    });
    // With a January start, 2024-03 is Q1 of FY2024 and 2024-04 is Q2; 2023 months fall outside.
    expect(built.tables.channels['operator_report']).toEqual([4, 50, 0, 0, 54]);
  });
});
