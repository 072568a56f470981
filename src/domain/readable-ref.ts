/**
 * References that can be read aloud: `KY-2026-CVR1-FZKR-C77`. After the fiscal year come ten
 * characters of Crockford base32 (digits and capitals without I, L, O, U: nothing to confuse over
 * the phone) and one check character, grouped 4-4-3.
 *
 * The check character is Luhn mod 32 over the year's digits and the ten (the Luhn mod N algorithm,
 * N = 32, in the same alphabet, so a reference needs no extra symbols): it catches every single
 * wrong character, the year's included, and every swap of two neighbours except of `0` and `Z`
 * (the pair Luhn mod N cannot tell apart).
 * Reading is forgiving: lower case, `I`/`L` for `1`, `O` for `0`, hyphens and spaces anywhere.
 * Pure and allocation-light: a ref is made on the write path of every report sent without one.
 */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const READABLE_REF_PREFIX = 'KY';
export const PAYLOAD_LENGTH = 10;

const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < CROCKFORD.length; i++) {
  VALUE[CROCKFORD.charCodeAt(i)] = i;
  VALUE[CROCKFORD.toLowerCase().charCodeAt(i)] = i;
}
// What people write for a character that is not in the alphabet.
for (const [alias, digit] of [
  ['I', 1],
  ['i', 1],
  ['L', 1],
  ['l', 1],
  ['O', 0],
  ['o', 0],
] as const)
  VALUE[alias.charCodeAt(0)] = digit;

/** The value 0-31 of a Crockford character (aliases and lower case included), or -1. */
export function crockfordValue(ch: string): number {
  const code = ch.charCodeAt(0);
  return code < 128 ? VALUE[code]! : -1;
}

/** Luhn mod 32 check character of a string of canonical Crockford characters. */
export function checkCharacter(payload: string): string {
  let sum = 0;
  // From the right, every second value is doubled (and its base-32 digits added), as in Luhn.
  let double = true;
  for (let i = payload.length - 1; i >= 0; i--) {
    let v = VALUE[payload.charCodeAt(i)]!;
    if (v < 0) throw new RangeError(`not Crockford base32: ${payload[i]}`);
    if (double) {
      v *= 2;
      v = (v >> 5) + (v & 31);
    }
    sum += v;
    double = !double;
  }
  return CROCKFORD[(32 - (sum % 32)) % 32]!;
}

/**
 * Ten Crockford characters from ten characters of a base64url digest: each character's low five
 * bits (uniform when the digest is), so no second hash is needed.
 */
export function payloadFromBase64url(digest: string): string {
  if (digest.length < PAYLOAD_LENGTH) throw new RangeError('digest too short');
  let out = '';
  for (let i = 0; i < PAYLOAD_LENGTH; i++) {
    const c = digest.charCodeAt(i);
    // base64url: A-Z 0-25, a-z 26-51, 0-9 52-61, '-' 62, '_' 63
    const v =
      c >= 65 && c <= 90
        ? c - 65
        : c >= 97 && c <= 122
          ? c - 71
          : c >= 48 && c <= 57
            ? c + 4
            : c === 45
              ? 62
              : 63;
    out += CROCKFORD[v & 31];
  }
  return out;
}

/** `KY-2026-CVR1-FZKR-C77` from the fiscal year and ten canonical Crockford characters. */
export function formatReadableRef(fiscalYear: number, payload: string): string {
  const full = payload + checkCharacter(`${fiscalYear}${payload}`);
  return `${READABLE_REF_PREFIX}-${fiscalYear}-${full.slice(0, 4)}-${full.slice(4, 8)}-${full.slice(8)}`;
}

/**
 * The canonical form of something typed or read out as a readable reference (`ky 2026 cvr1 fzkr
 * c7q`, `KY-2026-CVRIFZKRC7Q`), or null when it is not one: a wrong length, a character outside the
 * alphabet or a check character that does not match. Older refs (`KY-2026-CVR1FZKRCL`) are never
 * one: their ten characters carry no check character.
 */
export function parseReadableRef(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  if (compact.length !== 2 + 4 + PAYLOAD_LENGTH + 1) return null;
  if (compact.slice(0, 2).toUpperCase() !== READABLE_REF_PREFIX) return null;
  const year = compact.slice(2, 6);
  if (!/^\d{4}$/.test(year)) return null;
  let canonical = '';
  for (let i = 6; i < compact.length; i++) {
    const v = crockfordValue(compact[i]!);
    if (v < 0) return null;
    canonical += CROCKFORD[v];
  }
  const payload = canonical.slice(0, PAYLOAD_LENGTH);
  if (checkCharacter(year + payload) !== canonical[PAYLOAD_LENGTH]) return null;
  return formatReadableRef(Number(year), payload);
}
