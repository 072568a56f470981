import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'kyo_';

/** 256 random bits; only the SHA-256 is stored, which is enough for a secret of that strength. */
export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeToken(value: string): boolean {
  return value.startsWith(PREFIX) && value.length >= 40 && value.length <= 100;
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
