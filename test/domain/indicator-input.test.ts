import { describe, expect, it } from 'vitest';
import { indicatorsSchema, normalIndicators } from '../../src/domain/indicator-input.js';
import { toFieldErrors } from '../../src/domain/field-errors.js';

describe('the indicators a report carries', () => {
  it('refuses each bad one at its value, naming which one, its type and why', () => {
    const input = [
      { type: 'sha256', value: 'ab' },
      { type: 'cve', value: 'CVE-2024-3400' },
      { type: 'email', value: 'no-at-sign' },
    ];
    const parsed = indicatorsSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    const errors = toFieldErrors(parsed.error!, input);
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['0.value', 'invalid_indicator'],
      ['2.value', 'invalid_indicator'],
    ]);
    expect(errors[0]!.message).toBe('indicator 1 (sha256): a SHA256 hash is 64 hexadecimal digits');
    expect(errors[1]!.message).toBe('indicator 3 (email): an e-mail address is local-part@domain');
  });

  it('an unknown type is refused as an unknown code, not checked', () => {
    const parsed = indicatorsSchema.safeParse([{ type: 'bitcoin', value: 'x' }]);
    expect(toFieldErrors(parsed.error!, [{ type: 'bitcoin' }]).map((e) => e.code)).toEqual(['unknown_code']);
  });

  it('folds the same indicator written two ways into one, the strictest marking given winning', () => {
    expect(
      normalIndicators([
        { type: 'url', value: 'HTTP://Example.JP/a' },
        { type: 'domain', value: 'example.jp' },
        { type: 'url', value: 'http://example.jp/a', tlp: 'RED' },
        { type: 'url', value: 'http://EXAMPLE.jp/a', tlp: 'GREEN' },
      ]),
    ).toEqual([
      { type: 'url', value: 'http://example.jp/a', tlp: 'RED' },
      { type: 'domain', value: 'example.jp', tlp: null },
    ]);
  });
});
