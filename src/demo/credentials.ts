import { createHmac } from 'node:crypto';
import QRCode from 'qrcode';
import { base32Encode, otpauthUri } from '../modules/auth/totp.js';

/**
 * The demo's credentials are derived from a seed, so that they are the same on every start: an
 * authenticator entry added once keeps working, and the README's examples can name the demo's
 * token. Only `kyoyu demo` calls this; accounts of a real deployment get random secrets (a server
 * never derives one from a seed).
 */
export const DEFAULT_DEMO_SEED = 'kyoyu-demo';

const derive = (seed: string, purpose: string, email: string): Buffer =>
  createHmac('sha256', seed).update(`${purpose}\n${email}`).digest();

/** The account's TOTP secret: 160 bits in base32, as newTotpSecret() makes them. */
export function demoTotpSecret(seed: string, email: string): string {
  return base32Encode(derive(seed, 'totp', email).subarray(0, 20));
}

/** The account's API token: `kyo_` and 256 bits in base64url, as generateToken() makes them. */
export function demoToken(seed: string, email: string): string {
  return `kyo_${derive(seed, 'token', email).toString('base64url')}`;
}

export function demoOtpauthUri(secret: string, email: string): string {
  return otpauthUri(secret, email, 'kyoyu demo');
}

/** A QR code of the URI drawn with block characters, for scanning off the terminal. */
export function terminalQr(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'terminal', small: true });
}
