import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  newTotpSecret,
  otpauthUri,
  totpCode,
  totpStep,
  verifyTotp,
} from '../../../src/modules/auth/totp.js';

// RFC 6238 appendix B, SHA-1 secret "12345678901234567890"; 6-digit codes are the last six digits.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
const VECTORS: Array<[number, string]> = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

describe('TOTP', () => {
  it.each(VECTORS)('at %i s gives the RFC 6238 code %s', (seconds, code) => {
    expect(totpCode(RFC_SECRET, totpStep(seconds * 1000))).toBe(code);
  });

  it('base32 round-trips and new secrets are 160 bits', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
    expect(base32Decode(secret)).toHaveLength(20);
  });

  it('accepts one step of drift either way, not two', () => {
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    for (const drift of [-1, 0, 1])
      expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step + drift), now, null)).toBe(step + drift);
    for (const drift of [-2, 2])
      expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, step + drift), now, null)).toBeNull();
  });

  it('refuses a code of a step already used (no replay) and malformed codes', () => {
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    const code = totpCode(RFC_SECRET, step);
    expect(verifyTotp(RFC_SECRET, code, now, step)).toBeNull();
    expect(verifyTotp(RFC_SECRET, code, now, step - 1)).toBe(step);
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 12345'])
      expect(verifyTotp(RFC_SECRET, bad, now, null)).toBeNull();
  });

  it('gives an otpauth URI that authenticator apps read', () => {
    expect(otpauthUri('ABC', 'a@b.example')).toBe(
      'otpauth://totp/kyoyu%3Aa%40b.example?secret=ABC&issuer=kyoyu&algorithm=SHA1&digits=6&period=30',
    );
  });
});
