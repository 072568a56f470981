import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Classification } from '../../src/domain/counting.js';
import { accumulate, contributionsOf } from '../../src/domain/counting.js';
import { FiscalCalendar } from '../../src/domain/fiscal-calendar.js';
import type { ClassificationView, InfoSharingStats, Taxonomy } from '../../web/src/shared/api/types.js';
import { applyCommand, EMPTY } from '../../web/src/features/classify/model/command.js';
import { toCsv } from '../../web/src/features/dashboard/model/csv.js';
import { impactOf } from '../../web/src/features/classify/model/impact.js';

const taxonomy = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../data/taxonomy-jp-action-plan.json'), 'utf8'),
) as Taxonomy;
const codes = (list: Array<{ code: string }>) => list.map((e) => e.code);

describe('the classify page’s command field', () => {
  it('reads events, causes and attack types by their shown numbers', () => {
    const result = applyCommand('e3 c1,4 a2', EMPTY, taxonomy);
    expect(result).toEqual({
      draft: {
        event: taxonomy.events[2]!.code,
        causes: [taxonomy.causes[0]!.code, taxonomy.causes[3]!.code],
        attack_type: taxonomy.attack_types[1]!.code,
      },
    });
    const draft = 'draft' in result ? result.draft : EMPTY;
    expect(applyCommand('a0', draft, taxonomy)).toEqual({ draft: { ...draft, attack_type: null } });
    expect(applyCommand(' C2  E1 ', draft, taxonomy)).toEqual({
      draft: { ...draft, event: taxonomy.events[0]!.code, causes: [taxonomy.causes[1]!.code] },
    });
  });

  it('names the part it cannot read and changes nothing', () => {
    expect(applyCommand('e3 x1', EMPTY, taxonomy)).toEqual({ invalid: 'x1' });
    expect(applyCommand('e99', EMPTY, taxonomy)).toEqual({ invalid: 'e99' });
    expect(applyCommand('e1,2', EMPTY, taxonomy)).toEqual({ invalid: 'e1,2' });
    expect(applyCommand('c0', EMPTY, taxonomy)).toEqual({ invalid: 'c0' });
    expect(applyCommand(`a${taxonomy.attack_types.length + 1}`, EMPTY, taxonomy)).toHaveProperty('invalid');
  });
});

describe('the effect of a classification on the statistics', () => {
  const calendar = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 });
  const classification = fc.record({
    event: fc.constantFrom(...codes(taxonomy.events)),
    causes: fc.uniqueArray(fc.constantFrom(...codes(taxonomy.causes)), { minLength: 1, maxLength: 4 }),
    attack_type: fc.option(fc.constantFrom(...codes(taxonomy.attack_types)), { nil: null }),
  });
  const toDomain = (c: ClassificationView | null): Classification | null =>
    c && { event: c.event, causes: c.causes, attackType: c.attack_type };

  it('moves the counts exactly as the server’s counting rules do', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('operator_report', 'agency_share', 'center_provision'),
        fc.option(classification, { nil: null }),
        classification,
        fc.integer({ min: 0, max: 9 }),
        (channel, before, after, base) => {
          // 2024-07-01 in Tokyo: FY2024 Q2.
          const at = Date.parse('2024-07-01T00:00:00+09:00');
          const deltas = new Map<string, number>();
          const counted = (c: ClassificationView | null) =>
            contributionsOf({ channel, firstReceivedAt: at, classification: toDomain(c) }, calendar);
          accumulate(deltas, counted(before), -1);
          accumulate(deltas, counted(after), 1);
          const expected = [...deltas]
            .filter(([, d]) => d !== 0)
            .map(([key, d]) => {
              const [, table, code] = key.split('|') as [string, string, string];
              return { table, code, before: base, after: base + d };
            })
            .sort((a, b) => `${a.table}|${a.code}`.localeCompare(`${b.table}|${b.code}`));
          // Every row of the quarter's column counts `base` before.
          const row = () => [0, 0, 0, 0, 0, base, 0, 0, 0];
          const tables = Object.fromEntries(
            (['channels', 'events', 'causes', 'attack_types'] as const).map((table) => [
              table,
              new Proxy({}, { get: () => row() }),
            ]),
          ) as InfoSharingStats['tables'];
          const stats = {
            fiscal_year: 2024,
            columns: [
              'FY2020',
              'FY2021',
              'FY2022',
              'FY2023',
              'FY2024Q1',
              'FY2024Q2',
              'FY2024Q3',
              'FY2024Q4',
              'FY2024',
            ],
            column_sources: [],
            column_states: [],
            tables,
            labels: { channels: [], events: [], causes: [], attack_types: [] },
            published_years: [],
          } satisfies InfoSharingStats;
          const shown = impactOf(stats, { channel, fiscal_year: 2024, fiscal_quarter: 2 }, before, after)
            .map((r) => ({ ...r }))
            .sort((a, b) => `${a.table}|${a.code}`.localeCompare(`${b.table}|${b.code}`));
          expect(shown).toEqual(expected);
        },
      ),
    );
  });
});

describe('the chart data as CSV', () => {
  it('is UTF-8 with a byte-order mark and CRLF, quoted where needed', () => {
    expect(
      toCsv([
        ['項目', 'a,b'],
        ['2023年度', 1],
        ['say "hi"', 2],
      ]),
    ).toBe('\uFEFF項目,"a,b"\r\n2023年度,1\r\n"say ""hi""",2\r\n');
  });
});
