import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CROCKFORD,
  checkCharacter,
  formatReadableRef,
  parseReadableRef,
  payloadFromBase64url,
} from '../../src/domain/readable-ref.js';

const payload = fc
  .array(fc.integer({ min: 0, max: 31 }), { minLength: 10, maxLength: 10 })
  .map((vs) => vs.map((v) => CROCKFORD[v]).join(''));
const year = fc.integer({ min: 2000, max: 2999 });

describe('readable references', () => {
  it('look like KY-2026-XXXX-XXXX-XXX, in Crockford base32 with a Luhn mod 32 check character', () => {
    // The check covers the year's digits too: from the right 6 doubled (12) + 2 + 0 + 2 = 16, and
    // 32 - 16 = 16 = 'G' makes the sum a multiple of 32.
    expect(formatReadableRef(2026, '0000000000')).toBe('KY-2026-0000-0000-00G');
    // One more doubled 1: 18, so 14 = 'E'.
    expect(formatReadableRef(2026, '0000000001')).toBe('KY-2026-0000-0000-01E');
    expect(formatReadableRef(2026, 'CVR1FZKRC7')).toMatch(/^KY-2026-CVR1-FZKR-C7[0-9A-HJKMNP-TV-Z]$/);
  });

  it('derive ten characters from a base64url digest without a second hash', () => {
    expect(payloadFromBase64url('AAAAAAAAAAAA')).toBe('0000000000');
    // 'f' is 31, 'g' 32 (low five bits 0), '_' 63 (31), '-' 62 (30), '9' 61 (29), 'z' 51 (19).
    expect(payloadFromBase64url('fg_-9zzzzzzz')).toBe('Z0ZYXKKKKK');
    expect(() => payloadFromBase64url('short')).toThrow(RangeError);
  });

  it('property: every formatted ref parses back to itself, however it is spelled', () => {
    fc.assert(
      fc.property(year, payload, fc.boolean(), fc.boolean(), (fy, p, lower, noHyphens) => {
        const ref = formatReadableRef(fy, p);
        // What a listener writes down after the year: I or L for 1, O for 0.
        let code = ref
          .slice(8)
          .replace(/1/g, lower ? 'l' : 'I')
          .replace(/0/g, lower ? 'o' : 'O');
        if (noHyphens) code = code.replace(/-/g, '');
        const spelled = `${lower ? 'ky' : 'KY'}-${fy}${noHyphens ? '' : '-'}${lower ? code.toLowerCase() : code}`;
        expect(parseReadableRef(spelled)).toBe(ref);
        expect(parseReadableRef(` ${ref.replace(/-/g, ' ')} `)).toBe(ref);
      }),
    );
  });

  it('property: one wrong character is always caught', () => {
    fc.assert(
      fc.property(
        year,
        payload,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 31 }),
        (fy, p, at, shift) => {
          const full = p + checkCharacter(`${fy}${p}`);
          const wrong =
            full.slice(0, at) + CROCKFORD[(CROCKFORD.indexOf(full[at]!) + shift) % 32] + full.slice(at + 1);
          expect(parseReadableRef(`KY-${fy}-${wrong}`)).toBeNull();
        },
      ),
    );
  });

  it('every swap of two neighbours is caught except 0 and Z', () => {
    const missed = new Set<string>();
    for (const a of CROCKFORD)
      for (const b of CROCKFORD) {
        if (a === b) continue;
        for (const at of [0, 3, 8]) {
          const p = 'K7M2QX9D4R'.split('');
          p[at] = a;
          p[at + 1] = b;
          const full = p.join('') + checkCharacter(`2026${p.join('')}`);
          const swapped = full.slice(0, at) + b + a + full.slice(at + 2);
          if (parseReadableRef(`KY-2026-${swapped}`) !== null) missed.add([a, b].sort().join(''));
        }
      }
    expect([...missed]).toEqual(['0Z']);
  });

  it('property: a wrong year is caught', () => {
    fc.assert(
      fc.property(year, year, payload, (fy, other, p) => {
        fc.pre(fy !== other && Math.abs(fy - other) < 10); // one digit off, as a misheard year is
        expect(parseReadableRef(formatReadableRef(fy, p).replace(String(fy), String(other)))).toBeNull();
      }),
    );
  });

  it('is not fooled by older refs, other ids or other alphabets', () => {
    expect(parseReadableRef('KY-2026-CVR1FZKRCL')).toBeNull(); // the older form: ten characters, no check
    expect(parseReadableRef('FY2023-OP-000001')).toBeNull();
    expect(parseReadableRef('S-006')).toBeNull();
    expect(parseReadableRef('KY-2026-0000-0000-00G')).toBe('KY-2026-0000-0000-00G');
    expect(parseReadableRef('XY-2026-0000-0000-00G')).toBeNull();
    expect(parseReadableRef('KY-20A6-0000-0000-00G')).toBeNull();
    expect(parseReadableRef('KY-2026-0000-0000-0UG')).toBeNull(); // U is not in the alphabet
    expect(parseReadableRef('KY-2026-0000-0000-0G')).toBeNull();
    expect(parseReadableRef('KY-2026-0000-0000-000G')).toBeNull();
    expect(parseReadableRef('ky-2026-ｃｖｒ１-0000-000')).toBeNull(); // full-width is not guessed at
  });
});
