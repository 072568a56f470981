import { describe, expect, it } from 'vitest';
import {
  checkPasswordRules,
  generatePassword,
  hashPassword,
  verifyPassword,
} from '../../../src/modules/auth/password.js';

describe('passwords', () => {
  it('are stored as salted scrypt hashes and verified', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b); // per-user salt
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', a)).toBe(false);
    expect(await verifyPassword('anything at all', null)).toBe(false);
    expect(await verifyPassword('anything at all', 'md5$abc')).toBe(false);
  });

  it('compare in NFC, so the same word typed on two systems is one password', async () => {
    const stored = await hashPassword('パスワードは長くするべきです'.normalize('NFD'));
    expect(await verifyPassword('パスワードは長くするべきです'.normalize('NFC'), stored)).toBe(true);
  });

  it('have 12 to 256 characters', () => {
    expect(() => checkPasswordRules('short')).toThrow(/12 to 256/);
    expect(() => checkPasswordRules('x'.repeat(257))).toThrow(/12 to 256/);
    expect(() => checkPasswordRules('twelve chars')).not.toThrow();
  });

  it('generated ones are 20 unambiguous characters, all different', () => {
    const set = new Set(Array.from({ length: 50 }, generatePassword));
    expect(set.size).toBe(50);
    for (const p of set) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
  });
});
