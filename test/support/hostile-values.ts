import fc from 'fast-check';

/** Values for hostile requests: strings, JSON, cursors and header text that have broken servers. */

/** Strings that have broken parsers, validators, SQL and logs somewhere before. */
const NASTY = [
  '',
  ' ',
  '\u0000',
  '\u0007\u001b[31m',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  'e\u0301',
  '../../../etc/passwd',
  '..\\..\\windows',
  '%00',
  '%ff',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '-0',
  '0x1f',
  '９',
  '١٢٣',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; drop table incidents; --',
  '${jndi:ldap://x/a}',
  '__proto__',
  'constructor',
  'toString',
  '\r\nX-Injected: 1',
  '𠮷野家',
  '🏳️‍🌈',
  '2023-02-30T00:00:00+09:00',
  '2023-10-05T08:00:00',
  '2023-10-05T08:00:00+25:00',
  '+275760-09-13T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '2023-10-05T08:00:00.1234567891234Z',
];

/** Codes and values a valid request would carry, so that mutations get past the first checks. */
export const PLAUSIBLE = [
  'operator_report',
  'agency_share',
  'center_provision',
  'initial',
  'update',
  'final',
  'electricity',
  'finance',
  'other',
  'ddos',
  'ransomware',
  'leading.intrusion',
  'availability.disruption',
  'intentional.ddos',
  'other.unknown',
  '2023-10-05T08:00:00+09:00',
  '2024-02-29T23:59:59Z',
  '2019-04-30T15:00:00Z',
];

/**
 * Percent-encodes like encodeURIComponent, except that a lone surrogate (which that throws on)
 * becomes the bytes a careless encoder would send for it: invalid UTF-8 for the server to refuse.
 */
export function encode(text: string): string {
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (ch) =>
    ch.length === 1 && ch >= '\ud800' && ch <= '\udfff' ? '%ED%A0%80' : encodeURIComponent(ch),
  );
}

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.constantFrom(...PLAUSIBLE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 30_000 }).map((n) => 'あ'.repeat(n)) },
);

const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 31 - 1, 2 ** 53 + 2, 1e308, -1e308, Number.MIN_VALUE),
);

const key = fc.oneof(
  fc.constantFrom('ref', 'title', 'body', 'event', 'causes', 'stage', 'id', '__proto__', 'constructor'),
  hostileString,
);

/** Any JSON value, nested a little (the deep ones come from `deepJson`). */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** JSON nested far beyond the limit: arrays, objects, or both, up to a hundred thousand levels. */
export const deepJson = fc
  .tuple(fc.integer({ min: 9, max: 100_000 }), fc.constantFrom('[', '{"a":', '[{"b":'))
  .map(([depth, open]) => {
    const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
    return open.repeat(depth) + '1' + close.repeat(depth);
  });

export const RAW_BODIES = [
  '',
  '{',
  '}',
  '{"a":1,}',
  "{'a':1}",
  'nul',
  '{"a":1}{"b":2}',
  '{"a":"\\ud800"}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '"just a string"',
  '12345678901234567890123456789',
  '\ufeff{}',
  'a=1&b=2',
  '<xml/>',
];

/** Whole numbers of every magnitude from 1 to 25 digits, either sign: type limits are in there. */
export const anyMagnitude = fc
  .tuple(fc.integer({ min: 1, max: 25 }), fc.boolean())
  .chain(([digits, negative]) =>
    fc
      .bigInt({ min: 10n ** BigInt(digits - 1), max: 10n ** BigInt(digits) - 1n })
      .map((n) => String(negative ? -n : n)),
  );

/** Cursors shaped like the server's own (base64url of `instant|id`), with hostile parts. */
export const cursor = fc
  .tuple(
    fc.constantFrom(
      '2023-10-05T00:00:00.000Z',
      '2023-10-05T00:00:00Z',
      '9999-99-99T99:99:99Z',
      '2023-10-05',
      '',
    ),
    fc.constantFrom('|', '|', '|', '|', '||', ''),
    fc.oneof(anyMagnitude, fc.constantFrom('1', '2147483647', '2147483648', '999999999999999', '', 'x')),
  )
  .map(([at, sep, id]) => Buffer.from(`${at}${sep}${id}`).toString('base64url'));

/** What a header may carry on the wire: printable Latin-1 (a parser refuses control characters). */
export const headerText = fc.oneof(
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 300,
  }),
  fc.integer({ min: 201, max: 9000 }).map((n) => 'k'.repeat(n)),
);
