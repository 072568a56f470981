import type { KeyObject } from 'node:crypto';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../platform/errors.js';

/**
 * The Ed25519 key that signs audit checkpoints, kept in a file outside the database (by default
 * `audit-signing.key` beside `secret.key`, created on first use, readable by its owner only): whoever
 * can write the database cannot sign a checkpoint. The file holds a PKCS#8 private key in PEM; a
 * verifying machine may hold only the public key (SPKI PEM), which is enough for `audit verify`.
 */
export interface SigningKey {
  path: string;
  publicKey: KeyObject;
  /** Absent when the file holds only the public key. */
  privateKey?: KeyObject;
}

/** Loads the key at `path`; with `create`, a missing file is created with a new key first. */
export function loadSigningKey(path: string, options: { create: boolean }): SigningKey {
  if (!existsSync(path)) {
    if (!options.create)
      throw new AppError(
        'validation_failed',
        `no audit signing key at ${path} (KYOYU_AUDIT_SIGNING_KEY_FILE)`,
      );
    mkdirSync(dirname(path), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // 'wx': two processes creating it at once must not overwrite each other's key.
    try {
      writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const pem = readFileSync(path, 'utf8');
  try {
    if (pem.includes('PRIVATE KEY')) {
      chmodSync(path, 0o600);
      const privateKey = createPrivateKey(pem);
      if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
      return { path, privateKey, publicKey: createPublicKey(privateKey) };
    }
    const publicKey = createPublicKey(pem);
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return { path, publicKey };
  } catch (error) {
    throw new AppError(
      'validation_failed',
      `${path} is not an Ed25519 key in PEM: ${(error as Error).message}`,
    );
  }
}
