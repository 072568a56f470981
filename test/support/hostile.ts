import fc from 'fast-check';
import {
  anyMagnitude,
  cursor,
  deepJson,
  encode,
  headerText,
  hostileJson,
  hostileString,
  PLAUSIBLE,
  RAW_BODIES,
} from './hostile-values.js';

/** The parts of hostile requests: bodies, content types, headers, tokens, path segments, queries. */

export type Body = string | Buffer | undefined;

/** A replacement for a field: hostile, plausible, or undefined (JSON.stringify then leaves the field out). */
const fieldValue = fc.oneof(hostileJson, fc.constantFrom(...PLAUSIBLE), fc.constant(undefined));

/** A valid sample with one field replaced (or, for a name it lacks, added). */
export function withField(sample: Record<string, unknown>, field: string): fc.Arbitrary<string> {
  return fieldValue.map((value) => JSON.stringify({ ...sample, [field]: value }));
}

/** A body: none, broken bytes, hostile JSON, deep JSON, oversized, or a valid sample with fields replaced. */
export function hostileBody(
  sample: Record<string, unknown> | undefined,
  oversized: string,
): fc.Arbitrary<Body> {
  // Zero changes too: a valid body is where odd headers (If-Match, Idempotency-Key) reach the handler.
  const mutated = sample
    ? fc
        .array(fc.tuple(fc.constantFrom(...Object.keys(sample), 'unexpected'), fieldValue), { maxLength: 3 })
        .map((changes) => JSON.stringify({ ...sample, ...Object.fromEntries(changes) }))
    : hostileJson.map((v) => JSON.stringify(v));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_BODIES) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 3, arbitrary: hostileJson.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: deepJson },
    { weight: 6, arbitrary: mutated },
    { weight: 1, arbitrary: fc.constant(oversized) },
  );
}

/** Mostly JSON (to reach the validators), else what a confused or hostile client sends; null: none. */
export const contentType: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=latin1',
      'application/json;;;',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'text/plain',
      'text/csv',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/xml',
      'application/octet-stream',
      '*/*',
      'garbage',
      '',
    ),
  },
);

const headerValues = {
  'if-match': fc.oneof(
    fc.constantFrom('*', '"v1"', 'W/"v2"', '"v999999999999"', '"v-1"', '"v1", "v2"'),
    headerText,
  ),
  'accept-language': fc.oneof(
    fc.constantFrom('en', 'ja', 'en-US,en;q=0.9', '*;q=0', ',,,', 'zz'),
    headerText,
  ),
  'idempotency-key': fc.oneof(fc.uuid(), headerText),
  'x-csrf-token': headerText,
  cookie: fc.oneof(
    headerText,
    headerText.map((v) => `kyoyu_session=${v}`),
  ),
  origin: fc.oneof(fc.constantFrom('null', 'http://evil.example', 'http://localhost:80'), headerText),
  accept: fc.oneof(fc.constantFrom('application/json', 'text/html', '*/*', 'image/png'), headerText),
  'x-forwarded-for': headerText,
};

export type OddHeaders = Partial<Record<keyof typeof headerValues, string>>;

/** A few odd headers at a time (each alone would already refuse most requests, e.g. a foreign Origin). */
export const oddHeaders: fc.Arbitrary<OddHeaders> = fc
  .record(
    Object.fromEntries(
      Object.entries(headerValues).map(([name, value]) => [
        name,
        fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value }),
      ]),
    ) as Record<keyof typeof headerValues, fc.Arbitrary<string | null>>,
  )
  .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== null)) as OddHeaders);

/** Exactly one odd header. */
export const oneOddHeader: fc.Arbitrary<OddHeaders> = fc
  .constantFrom(...(Object.keys(headerValues) as Array<keyof typeof headerValues>))
  .chain((name) => headerValues[name].map((value): OddHeaders => ({ [name]: value })));

export const authorization = (token: string | undefined) =>
  token === undefined
    ? fc.constantFrom(
        undefined,
        'Bearer',
        'Basic Zm9vOmJhcg==',
        'Bearer kyo_' + 'x'.repeat(43),
        'Bearer  \t ',
      )
    : fc.oneof(
        { weight: 6, arbitrary: fc.constant(`Bearer ${token}`) },
        { weight: 1, arbitrary: fc.constantFrom(`bearer ${token}`, `Bearer ${token} `, `Bearer ${token}x`) },
      );

/** A path segment: real ids, numbers out of range, words, traversal, broken percent-encoding. */
export const pathSegment = (realIds: readonly number[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...realIds.map(String)) },
    { weight: 2, arbitrary: anyMagnitude },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '0',
        '-1',
        '1.5',
        '1e3',
        '0x10',
        '2147483648',
        '+1',
        '%20%31',
        '..',
        '..%2f..%2fetc%2fpasswd',
        '%2e%2e',
        '%ff',
        '%00',
        '%',
        '%zz',
        'x'.repeat(250),
      ),
    },
    { weight: 2, arbitrary: hostileString.map((s) => encode(s.slice(0, 60))) },
  );

type Pair = [key: string, value: string, raw: boolean];

const joinQuery = (pairs: Pair[]) =>
  pairs
    .map(([k, v, raw]) =>
      raw ? `${k.replace(/[#\s]/g, '')}=${v.replace(/[#\s]/g, '')}` : `${encode(k)}=${encode(v)}`,
    )
    .join('&');

function queryValue(key: string, values: readonly string[]): fc.Arbitrary<string> {
  const value = fc.oneof(
    ...(values.length > 0 ? [fc.constantFrom(...values)] : []),
    fc.constantFrom('2023', '1', '4', '0', '200', '201', '-1', '1e3', '2023.5', ' 2023'),
    hostileString,
    cursor,
  );
  // A cursor is parsed by hand, not by a schema: it gets cursor-shaped values most of the time.
  return key === 'cursor' ? fc.oneof(cursor, cursor, cursor, value) : value;
}

/** A query of one key with a hostile value: the rest of the query valid (absent). */
export function queryPair(key: string, values: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constant(key), queryValue(key, values), fc.boolean()).map((pair) => joinQuery([pair]));
}

/**
 * A query string for a route that documents `keys` (and `values` for its enums): repeated keys,
 * unknown keys, bracket arrays, huge and hostile values, raw or percent-encoded.
 */
export function queryString(keys: readonly string[], values: readonly string[]): fc.Arbitrary<string> {
  const known = keys.length > 0 ? [fc.constantFrom(...keys)] : [];
  const name = fc.oneof(
    ...known,
    ...known,
    fc.constantFrom('fy[]', 'fy[a]', 'a[b][c]', '__proto__', ''),
    hostileString,
  );
  const pair = name.chain((k) => fc.tuple(fc.constant(k), queryValue(k, values), fc.boolean()));
  return fc.array(pair, { maxLength: 6 }).map(joinQuery);
}
