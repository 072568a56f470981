import { describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../../src/domain/taxonomy.js';
import {
  loadPublishedFile,
  parseAggregatesFile,
  parseColumnLabel,
  publishedAggregates,
} from '../../../src/modules/stats/published.js';

const taxonomy = loadTaxonomy();
const minimal = () => ({
  title: 'test',
  notes: ['metadata is ignored'],
  columns: ['FY2022', 'FY2023Q1'],
  channels: { operator_report: { ja: 'x', en: 'x', values: [3, 1] } },
});

describe('published aggregates', () => {
  it('reads column labels', () => {
    expect(parseColumnLabel('FY2019')).toEqual({ fiscalYear: 2019, quarter: 0 });
    expect(parseColumnLabel('FY2023Q2')).toEqual({ fiscalYear: 2023, quarter: 2 });
    expect(parseColumnLabel('FY2023Q5')).toBeNull();
    expect(parseColumnLabel('2023')).toBeNull();
  });

  it('flattens the published file: one value per table, code and column', () => {
    const values = publishedAggregates();
    const file = loadPublishedFile();
    const rows = ['channels', 'events', 'causes', 'attack_types'] as const;
    expect(values).toHaveLength(rows.reduce((n, t) => n + Object.keys(file[t] ?? {}).length, 0) * 9);
    const find = (fiscalYear: number, quarter: number, table: string, code: string) =>
      values.find(
        (v) => v.fiscalYear === fiscalYear && v.quarter === quarter && v.table === table && v.code === code,
      )?.value;
    expect(find(2019, 0, 'channels', 'operator_report')).toBe(269);
    expect(find(2023, 2, 'channels', 'agency_share')).toBe(7);
    expect(find(2023, 0, 'attack_types', 'total')).toBe(123);
    expect(find(2023, 4, 'causes', 'other.unknown')).toBe(16);
  });

  it('accepts a minimal file and ignores metadata', () => {
    expect(parseAggregatesFile(minimal(), taxonomy)).toEqual([
      { fiscalYear: 2022, quarter: 0, table: 'channels', code: 'operator_report', value: 3 },
      { fiscalYear: 2023, quarter: 1, table: 'channels', code: 'operator_report', value: 1 },
    ]);
  });

  it.each([
    ['not an object', [], /\(file\)/],
    ['no columns', { channels: {} }, /columns/],
    ['a bad column label', { ...minimal(), columns: ['FY2022', '2023Q1'] }, /columns\[1\].*"2023Q1"/],
    ['a repeated column', { ...minimal(), columns: ['FY2022', 'FY2022'] }, /columns\[1\].*twice/],
    ['an unknown table', { ...minimal(), event: { other: { values: [1, 2] } } }, /unknown table 'event'/],
    [
      'an unknown code',
      { ...minimal(), causes: { 'other.nope': { values: [1, 2] } } },
      /unknown causes code 'other.nope'/,
    ],
    [
      'a row without values',
      { ...minimal(), events: { other: { ja: 'x' } } },
      /events\.other: expected an object/,
    ],
    [
      'too few values',
      { ...minimal(), events: { other: { values: [1] } } },
      /events\.other\.values: has 1 values for 2 columns/,
    ],
    [
      'a negative value',
      { ...minimal(), events: { other: { values: [1, -1] } } },
      /events\.other\.values\[1\]: -1/,
    ],
    [
      'a fraction',
      { ...minimal(), events: { other: { values: [1.5, 1] } } },
      /events\.other\.values\[0\]: 1\.5/,
    ],
    [
      'a string value',
      { ...minimal(), events: { other: { values: ['1', 1] } } },
      /events\.other\.values\[0\]: "1"/,
    ],
    [
      'an unknown attack type',
      { ...minimal(), attack_types: { phishing: { values: [1, 1] } } },
      /'phishing'/,
    ],
  ])('refuses %s, naming the bad key', (_what, json, message) => {
    expect(() => parseAggregatesFile(json, taxonomy)).toThrow(message);
  });
});
