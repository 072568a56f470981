import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * What the key table keeps is useless without the client's key, which the server never stores: the
 * key itself only as a SHA-256, the request as an HMAC under a secret derived from the key, and the
 * answer sealed (AES-256-GCM) under that secret. Answers may carry secrets (a new API token, a
 * temporary password) and requests credentials; a reader of the database, or of a backup, learns
 * none of them. A guessable key gives this up, so clients are told to send UUIDs.
 */
export interface KeyMaterial {
  /** Stored in the `key` column. */
  keyHash: string;
  secret: Buffer;
}

export function keyMaterial(userId: number, key: string): KeyMaterial {
  return {
    keyHash: createHash('sha256').update(key).digest('hex'),
    secret: Buffer.from(hkdfSync('sha256', key, 'kyoyu idempotency v1', `user ${userId}`, 32)),
  };
}

/** Stored in `request_hash`: the same key with another digest is another request. */
export function requestDigest(secret: Buffer, canonicalRequest: string): string {
  return createHmac('sha256', secret).update(canonicalRequest).digest('hex');
}

/** base64 of IV (12 bytes), tag (16) and ciphertext. */
export function seal(secret: Buffer, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** The text `seal` sealed; throws when the row was altered. */
export function unseal(secret: Buffer, sealed: string): string {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', secret, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
