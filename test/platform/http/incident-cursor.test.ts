import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIdCursor, encodeCursor } from '../../../src/platform/http/cursor.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { report } from '../../support/samples.js';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Cursors this server never gave out: an id or a time out of range, or no cursor at all. */
const BAD_CURSORS: ReadonlyArray<[what: string, cursor: string]> = [
  ['id beyond 32 bits', b64('2023-10-05T00:00:00.000Z|2147483648')],
  ['id far beyond', b64('2023-10-05T00:00:00.000Z|99999999999999999999')],
  ['negative id', b64('2023-10-05T00:00:00.000Z|-1')],
  ['id 0', b64('2023-10-05T00:00:00.000Z|0')],
  ['id with exponent', b64('2023-10-05T00:00:00.000Z|1e3')],
  ['id with leading zeros', b64('2023-10-05T00:00:00.000Z|007')],
  ['no date at all', b64('9999-99-99T99:99:99Z|5')],
  ['February 30th', b64('2023-02-30T00:00:00.000Z|5')],
  ['hour 24', b64('2023-10-05T24:00:00.000Z|5')],
  ['year 0000', b64('0000-01-01T00:00:00.000Z|5')],
  ['beyond any Date', b64('+275760-09-13T00:00:00.000Z|5')],
  ['a time with an offset', b64('2023-10-05T09:00:00.000+09:00|5')],
  ['a time without milliseconds', b64('2023-10-05T00:00:00Z|5')],
  ['a third part', b64('2023-10-05T00:00:00.000Z|5|6')],
  ['no separator', b64('2023-10-05T00:00:00.000Z')],
  ['garbage', 'garbage'],
  ['not base64url', '%%%'],
  ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x7c, 0x31]).toString('base64url')],
  ['SQL', b64("2023-10-05T00:00:00.000Z' or 1=1 --|5")],
];

describeEachDialect('the incident list cursor on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Cursor Center');
    for (let i = 0; i < 3; i++) {
      const res = await as(app, center).post('/api/v1/incidents', report(`cursor ${i}`, 'Cursor Power'));
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('a cursor out of range or malformed answers 400 validation_failed on field cursor, never 500 or a page', async () => {
    for (const [what, cursor] of BAD_CURSORS) {
      const res = await as(app, center).get(`/api/v1/incidents?limit=1&cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
      const error = res.json<{ error: { code: string; details: Array<{ field: string; code: string }> } }>()
        .error;
      expect(error.code, what).toBe('validation_failed');
      expect(error.details, what).toEqual([
        expect.objectContaining({ field: 'cursor', code: 'invalid_value' }),
      ]);
    }
  });

  it('the cursors the server gives out still page through every incident once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await as(app, center).get(`/api/v1/incidents?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: Array<{ id: number }>; next_cursor: string | null }>();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });
});

describe('the shared id cursor (for lists paged by id alone, as the audit trail)', () => {
  it('takes what encodeCursor gave out and refuses ids out of range', () => {
    expect(decodeIdCursor(encodeCursor(42))).toBe(42);
    expect(decodeIdCursor(undefined)).toBeUndefined();
    for (const bad of ['2147483648', '0', '-1', '1.5', 'x', '']) {
      expect(() => decodeIdCursor(b64(bad)), bad).toThrow(/cursor is not one this server gave out/);
    }
  });
});
