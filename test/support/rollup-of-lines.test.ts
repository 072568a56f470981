import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../src/domain/fiscal-calendar.js';
import type { ReportLine } from '../../src/domain/report-line.js';
import { rollupOfLines } from './rollup-of-lines.js';

const calendar = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 });

const op = (
  ref: string,
  received_at: string,
  stage: ReportLine['stage'],
  event: string,
  causes: string[],
): ReportLine => ({
  ref,
  channel: 'operator_report',
  received_at,
  organization: 'o',
  sector: 'gas',
  title: 't',
  description: 'd',
  stage,
  event,
  causes,
  attack_type: null,
});

describe('rollupOfLines', () => {
  it('counts an incident once, in the local month of its first report, as its latest stage classifies it', () => {
    const lines = [
      op('A', '2023-07-10T10:00:00+09:00', 'final', 'availability.disruption', ['intentional.ddos']),
      op('A', '2023-06-30T14:59:59Z', 'initial', 'other', ['other.unknown', 'other.other']),
    ];
    expect(rollupOfLines(lines, calendar)).toEqual([
      { month: '2023-06', table: 'causes', code: 'intentional.ddos', n: 1 },
      { month: '2023-06', table: 'channels', code: 'operator_report', n: 1 },
      { month: '2023-06', table: 'events', code: 'availability.disruption', n: 1 },
      { month: '2023-06', table: 'sectors', code: 'gas', n: 1 },
    ]);
  });

  it('lets the later stage speak when two arrive in the same second', () => {
    const lines = [
      op('A', '2023-05-01T00:00:00Z', 'final', 'confidentiality.leak', ['intentional.info_theft']),
      op('A', '2023-05-01T09:00:00+09:00', 'update', 'other', ['other.unknown']),
    ];
    expect(rollupOfLines(lines, calendar).find((r) => r.table === 'events')?.code).toBe(
      'confidentiality.leak',
    );
  });

  it('counts other channels without a classification', () => {
    const line: ReportLine = {
      ref: 'C',
      channel: 'center_provision',
      received_at: '2023-04-01T00:00:00+09:00',
      title: 't',
      description: '',
    };
    expect(rollupOfLines([line, { ...line, received_at: '2023-05-01T00:00:00+09:00' }], calendar)).toEqual([
      { month: '2023-04', table: 'channels', code: 'center_provision', n: 1 },
    ]);
  });

  it('refuses a ref used under two channels', () => {
    const line: ReportLine = {
      ref: 'X',
      channel: 'agency_share',
      received_at: '2023-04-01T00:00:00Z',
      title: 't',
      description: '',
    };
    expect(() => rollupOfLines([line, { ...line, channel: 'center_provision' }], calendar)).toThrow(/ref X/);
  });
});
