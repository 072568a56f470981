import { describe, expect, it } from 'vitest';
import { parseInstant, reportLineSchema } from '../../src/domain/report-line.js';
import { toFieldErrors } from '../../src/domain/field-errors.js';
import { loadTaxonomy } from '../../src/domain/taxonomy.js';

const schema = reportLineSchema(loadTaxonomy());

const operatorLine = {
  ref: 'ACME-2024-001',
  channel: 'operator_report',
  received_at: '2024-02-29T09:30:00+09:00',
  organization: 'ACME Power',
  sector: 'electricity',
  title: 'Ransomware on billing servers',
  description: 'Billing servers encrypted.',
  stage: 'initial',
  event: 'availability.disruption',
  causes: ['intentional.suspicious_email'],
  attack_type: 'ransomware',
};
const shareLine = {
  ref: 'MIC-1',
  channel: 'agency_share',
  received_at: '2024-03-01T00:00:00Z',
  title: 'Advisory from a ministry',
  description: 'text',
};

/** The stable field errors of a line, as `field:code`. */
function errorsOf(line: unknown): string[] {
  const result = schema.safeParse(line);
  return result.success ? [] : toFieldErrors(result.error, line).map((e) => `${e.field}:${e.code}`);
}

describe('parseInstant', () => {
  it.each([
    ['2024-02-29T09:30:00Z', '2024-02-29T09:30:00.000Z'],
    ['2024-02-29T09:30:00+09:00', '2024-02-29T00:30:00.000Z'],
    ['2024-02-29T09:30:00+0900', '2024-02-29T00:30:00.000Z'],
    ['2024-02-29T09:30:00-0530', '2024-02-29T15:00:00.000Z'],
    ['2024-02-29T09:30:00.123Z', '2024-02-29T09:30:00.123Z'],
    ['2024-02-29T09:30:00.5+09:00', '2024-02-29T00:30:00.500Z'],
    ['2024-02-29T09:30:00.123456789Z', '2024-02-29T09:30:00.123Z'],
    ['2024-02-29T09:30Z', '2024-02-29T09:30:00.000Z'],
    ['2023-03-31T23:59:59+09:00', '2023-03-31T14:59:59.000Z'],
  ])('accepts %s', (text, iso) => {
    const parsed = parseInstant(text);
    expect(parsed).toEqual({ ok: true, epochMs: Date.parse(iso) });
  });

  it.each([
    '2024-02-29T09:30:00',
    '2024-02-29T09:30',
    '2024-02-29 09:30:00',
    '2024-02-29',
    '2024-02-29T09:30:00.123',
  ])('refuses %s as a time without an offset', (text) => {
    expect(parseInstant(text)).toEqual({ ok: false, code: 'time_without_offset' });
  });

  it.each([
    '2023-02-29T00:00:00Z',
    '2024-02-30T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-04-31T00:00:00+09:00',
    '2024-02-29T25:00:00Z',
    '2024-02-29T24:00:00Z',
    '2024-02-29T09:60:00Z',
    '2024-02-29T09:30:60Z',
    '2024-02-29T09:30:00+25:00',
    '2024-02-29T09:30:00+09',
    '29/02/2024',
    '',
  ])('refuses %j as an invalid time', (text) => {
    expect(parseInstant(text)).toEqual({ ok: false, code: 'invalid_time' });
  });
});

describe('reportLineSchema', () => {
  it('accepts a complete operator report and a share', () => {
    expect(errorsOf(operatorLine)).toEqual([]);
    expect(errorsOf(shareLine)).toEqual([]);
    expect(errorsOf({ ...operatorLine, attack_type: null })).toEqual([]);
    const { attack_type: _omit, ...withoutAttack } = operatorLine;
    expect(errorsOf(withoutAttack)).toEqual([]);
  });

  it('reports a missing field as required', () => {
    const { organization: _o, ...noOrganization } = operatorLine;
    expect(errorsOf(noOrganization)).toEqual(['organization:required']);
    const { title: _t, ...noTitle } = shareLine;
    expect(errorsOf(noTitle)).toEqual(['title:required']);
    const { event: _e, causes: _c, ...unclassified } = operatorLine;
    expect(errorsOf(unclassified).sort()).toEqual(['causes:required', 'event:required']);
  });

  it('reports a code outside the taxonomy as unknown_code', () => {
    expect(errorsOf({ ...operatorLine, event: 'alien_invasion' })).toEqual(['event:unknown_code']);
    expect(errorsOf({ ...operatorLine, causes: ['other.unknown', 'bad'] })).toEqual([
      'causes.1:unknown_code',
    ]);
    expect(errorsOf({ ...operatorLine, attack_type: 'phishing' })).toEqual(['attack_type:unknown_code']);
    expect(errorsOf({ ...operatorLine, sector: 'space' })).toEqual(['sector:unknown_code']);
    expect(errorsOf({ ...operatorLine, channel: 'email' })).toEqual(['channel:unknown_code']);
    expect(errorsOf({ ...operatorLine, stage: 'draft' })).toEqual(['stage:unknown_code']);
  });

  it('reports an unexpected field as unknown_field', () => {
    expect(errorsOf({ ...shareLine, severity: 'high' })).toEqual(['(line):unknown_field']);
  });

  it('reports a cause listed twice as duplicate_value', () => {
    expect(errorsOf({ ...operatorLine, causes: ['other.unknown', 'other.unknown'] })).toEqual([
      'causes:duplicate_value',
    ]);
  });

  it('refuses operator-only fields on shares and provisions', () => {
    expect(errorsOf({ ...shareLine, stage: 'initial' })).toEqual(['stage:not_allowed_for_channel']);
    const classified = {
      ...shareLine,
      channel: 'center_provision',
      event: 'other',
      causes: ['other.other'],
      attack_type: 'ddos',
    };
    expect(errorsOf(classified).sort()).toEqual([
      'attack_type:not_allowed_for_channel',
      'causes:not_allowed_for_channel',
      'event:not_allowed_for_channel',
    ]);
    expect(errorsOf({ ...shareLine, attack_type: null })).toEqual([]);
  });

  it('gives the time codes of parseInstant for received_at', () => {
    expect(errorsOf({ ...shareLine, received_at: '2024-03-01T00:00:00' })).toEqual([
      'received_at:time_without_offset',
    ]);
    expect(errorsOf({ ...shareLine, received_at: '2023-02-29T00:00:00Z' })).toEqual([
      'received_at:invalid_time',
    ]);
    expect(errorsOf({ ...shareLine, received_at: 20240301 })).toEqual(['received_at:invalid_type']);
  });

  it('tells a wrong type from a missing field, from the input or from reportInput', () => {
    const line = { ...operatorLine, organization: 42 };
    const plain = schema.safeParse(line);
    expect(toFieldErrors(plain.error!, line).map((e) => e.code)).toEqual(['invalid_type']);
    const reported = schema.safeParse(line, { reportInput: true });
    expect(toFieldErrors(reported.error!).map((e) => e.code)).toEqual(['invalid_type']);
    expect(errorsOf({ ...operatorLine, causes: 'other.other' })).toEqual(['causes:invalid_type']);
  });

  it('reports over-long and empty text', () => {
    expect(errorsOf({ ...shareLine, title: '' })).toEqual(['title:too_short']);
    expect(errorsOf({ ...shareLine, title: 'x'.repeat(501) })).toEqual(['title:too_long']);
  });

  it('keeps a human message next to each code', () => {
    const result = schema.safeParse({ ...shareLine, received_at: '2024-03-01T00:00:00' });
    expect(result.success).toBe(false);
    const [error] = toFieldErrors(result.error!);
    expect(error!.message).toMatch(/offset/);
  });
});
