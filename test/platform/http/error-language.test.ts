import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, countRows, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

/** Every error answer is in one language, the request's: the message and every detail message. */

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

const valid = {
  ref: 'LANG-0',
  channel: 'operator_report',
  received_at: '2024-02-29T09:30:00+09:00',
  organization: 'Lang Power',
  sector: 'electricity',
  title: 'leap day',
  description: 'うるう日',
  stage: 'initial',
  event: 'leading.malware_infection',
  causes: ['intentional.suspicious_email'],
  attack_type: 'malware_other',
};

interface ErrorBody {
  error: { code: string; message: string; details?: Array<{ field: string; code: string; message: string }> };
}

/** Bad requests of every kind that carries detail messages: schema issues, a service's field errors. */
const BAD: Array<{ name: string; method: 'GET' | 'POST'; url: string; body?: unknown; details: number }> = [
  {
    name: 'unknown codes',
    method: 'POST',
    url: '/api/v1/incidents',
    body: { ...valid, event: 'x', sector: 'space' },
    details: 2,
  },
  {
    name: 'too long',
    method: 'POST',
    url: '/api/v1/incidents',
    body: { ...valid, title: 'x'.repeat(501) },
    details: 1,
  },
  {
    name: 'missing and wrong type',
    method: 'POST',
    url: '/api/v1/incidents',
    body: { ...valid, title: undefined, causes: 'c' },
    details: 2,
  },
  {
    name: 'unknown field',
    method: 'POST',
    url: '/api/v1/incidents',
    body: { ...valid, colour: 'red' },
    details: 1,
  },
  {
    name: 'control character',
    method: 'POST',
    url: '/api/v1/incidents',
    body: { ...valid, title: 'a\u0007b' },
    details: 1,
  },
  {
    name: 'time without offset',
    method: 'POST',
    url: '/api/v1/incidents',
    body: { ...valid, received_at: '2024-02-29T09:30' },
    details: 1,
  },
  {
    name: 'operator fields on a share',
    method: 'POST',
    url: '/api/v1/incidents',
    body: { ...valid, channel: 'agency_share' },
    details: 1,
  },
  { name: 'bad query value', method: 'GET', url: '/api/v1/incidents?limit=0&stage=late', details: 2 },
  { name: 'a field error of the service', method: 'GET', url: '/api/v1/incidents?quarter=2', details: 1 },
];

describeEachDialect('error language on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Lang Power');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const send = async (bad: (typeof BAD)[number], headers: Record<string, string>) => {
    const before = await countRows(ctx.services, 'incidents');
    const client = as(app, op);
    const res =
      bad.method === 'GET'
        ? await client.get(bad.url, headers)
        : await client.post(bad.url, bad.body, headers);
    expect(res.statusCode, res.body).toBe(400);
    expect(await countRows(ctx.services, 'incidents')).toBe(before);
    const body = res.json<ErrorBody>();
    expect(body.error.details?.length, res.body).toBeGreaterThanOrEqual(bad.details);
    return body.error;
  };

  for (const bad of BAD) {
    it(`${bad.name}: Japanese throughout by default and for ja`, async () => {
      const languages: Array<Record<string, string>> = [
        {},
        { 'accept-language': 'ja' },
        { 'accept-language': 'ja-JP,en;q=0.5' },
      ];
      for (const headers of languages) {
        const error = await send(bad, headers);
        expect(error.message).toMatch(JAPANESE);
        for (const d of error.details ?? []) expect(d.message, `${d.field} ${d.code}`).toMatch(JAPANESE);
      }
    });

    it(`${bad.name}: English throughout for en`, async () => {
      const error = await send(bad, { 'accept-language': 'en-GB,ja;q=0.5' });
      expect(error.message).not.toMatch(JAPANESE);
      for (const d of error.details ?? []) {
        expect(d.message, `${d.field} ${d.code}`).not.toMatch(JAPANESE);
        expect(d.message.length).toBeGreaterThan(0);
      }
    });
  }

  it('a Japanese detail names the limit, the allowed codes and the refused character', async () => {
    const long = await send(BAD[1]!, { 'accept-language': 'ja' });
    expect(long.details).toContainEqual(
      expect.objectContaining({ field: 'body.title', message: '500文字以内で入力してください' }),
    );
    const control = await send(BAD[4]!, { 'accept-language': 'ja' });
    expect(control.details?.[0]).toMatchObject({
      code: 'control_character',
      position: 2,
      code_point: 'U+0007',
    });
    expect(control.details?.[0]?.message).toContain('2文字目');
    expect(control.details?.[0]?.message).toContain('U+0007');
    const stage = await send(BAD[7]!, { 'accept-language': 'ja' });
    const unknown = stage.details?.find((d) => d.field === 'querystring.stage');
    expect(unknown?.message).toBe('次のいずれかを指定してください: initial, update, final');
  });

  it('refusals without details are in the request language too', async () => {
    const ja = await as(app, null).get('/api/v1/incidents', { 'accept-language': 'ja' });
    expect(ja.json<ErrorBody>().error.message).toMatch(JAPANESE);
    const en = await as(app, null).get('/api/v1/incidents', { 'accept-language': 'en' });
    expect(en.json<ErrorBody>().error.message).not.toMatch(JAPANESE);
  });
});
