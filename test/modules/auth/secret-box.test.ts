import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey, SecretBox } from '../../../src/modules/auth/secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('seals so that the stored text does not contain the secret, and opens it again', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:7');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'totp:7')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another context (a seed moved to another user), another key, and tampering', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:7');
    expect(() => box.open(sealed, 'totp:8')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'totp:7')).toThrow();
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
    expect(() => box.open(flipped, 'totp:7')).toThrow();
  });

  it('reads a value stored before encryption as it is', () => {
    expect(box.open('JBSWY3DPEHPK3PXP', 'totp:7')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('creates its key file once, readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyoyu-key-'));
    const first = loadSecretKey(undefined, dir);
    expect(first).toHaveLength(32);
    expect(loadSecretKey(undefined, dir).equals(first)).toBe(true);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const configured = randomBytes(32);
    expect(loadSecretKey(configured.toString('base64'), dir).equals(configured)).toBe(true);
  });
});
