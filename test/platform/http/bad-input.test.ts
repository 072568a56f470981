import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, countRows, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const valid = {
  ref: 'BAD-0',
  channel: 'operator_report',
  received_at: '2024-02-29T09:30:00+09:00',
  organization: 'Input Power',
  sector: 'electricity',
  title: 'leap day',
  description: 'うるう日',
  stage: 'initial',
  event: 'leading.malware_infection',
  causes: ['intentional.suspicious_email'],
  attack_type: 'malware_other',
};

interface ErrorBody {
  error: { code: string; message: string; details?: Array<{ field: string; code: string }> };
  request_id: string;
}

describeEachDialect('bad input on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Input Power');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const refused = async (body: unknown, status: number, code: string, field?: string, fieldCode?: string) => {
    const before = await Promise.all([
      countRows(ctx.services, 'incidents'),
      countRows(ctx.services, 'stage_reports'),
      countRows(ctx.services, 'stat_rollup'),
    ]);
    const res = await as(app, op).post('/api/v1/incidents', body);
    expect(res.statusCode, res.body).toBe(status);
    const json = res.json<ErrorBody>();
    expect(json.error.code).toBe(code);
    expect(json.request_id).toBeTruthy();
    if (field) expect(json.error.details).toContainEqual(expect.objectContaining({ field, code: fieldCode }));
    const after = await Promise.all([
      countRows(ctx.services, 'incidents'),
      countRows(ctx.services, 'stage_reports'),
      countRows(ctx.services, 'stat_rollup'),
    ]);
    expect(after).toEqual(before);
    return json;
  };

  it('unknown codes', async () => {
    await refused(
      { ...valid, event: 'alien.invasion' },
      400,
      'validation_failed',
      'body.event',
      'unknown_code',
    );
    await refused(
      { ...valid, causes: ['accidental.vulnerability', 'nope'] },
      400,
      'validation_failed',
      'body.causes.1',
      'unknown_code',
    );
    await refused({ ...valid, sector: 'space' }, 400, 'validation_failed', 'body.sector', 'unknown_code');
    await refused(
      { ...valid, attack_type: 'phishing' },
      400,
      'validation_failed',
      'body.attack_type',
      'unknown_code',
    );
    await refused({ ...valid, channel: 'rumour' }, 400, 'validation_failed', 'body.channel', 'unknown_code');
    await refused({ ...valid, extra: 1 }, 400, 'validation_failed', 'body', 'unknown_field');
  });

  it('missing fields', async () => {
    const { title: _t, ...noTitle } = valid;
    await refused(noTitle, 400, 'validation_failed', 'body.title', 'required');
    const { channel: _ch, ...noChannel } = valid;
    await refused(noChannel, 400, 'validation_failed', 'body.channel', 'required');
    const { causes: _c, ...noCauses } = valid;
    await refused(noCauses, 400, 'validation_failed', 'body.causes', 'required');
    await refused({ ...valid, causes: [] }, 400, 'validation_failed', 'body.causes', 'too_short');
    await refused(
      { ...valid, causes: ['other.unknown', 'other.unknown'] },
      400,
      'validation_failed',
      'body.causes',
      'duplicate_value',
    );
  });

  it('times without an offset, and impossible dates', async () => {
    await refused(
      { ...valid, received_at: '2024-02-29T09:30:00' },
      400,
      'validation_failed',
      'body.received_at',
      'time_without_offset',
    );
    await refused(
      { ...valid, received_at: '2024-02-29' },
      400,
      'validation_failed',
      'body.received_at',
      'time_without_offset',
    );
    await refused(
      { ...valid, received_at: '2023-02-29T09:30:00+09:00' },
      400,
      'validation_failed',
      'body.received_at',
      'invalid_time',
    );
    await refused(
      { ...valid, received_at: 'yesterday' },
      400,
      'validation_failed',
      'body.received_at',
      'invalid_time',
    );
  });

  it('malformed JSON, wrong types and wrong media types', async () => {
    await refused('{"ref": "x",', 400, 'malformed_json');
    await refused('[1,2,3]', 400, 'validation_failed');
    await refused('null', 400, 'validation_failed');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${op.token}`, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json<ErrorBody>().error.code).toBe('unsupported_media_type');
  });

  it('oversized bodies', async () => {
    const res = await as(app, op).post('/api/v1/incidents', {
      ...valid,
      description: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json<ErrorBody>().error.code).toBe('body_too_large');
    await refused(
      { ...valid, description: 'x'.repeat(20_001) },
      400,
      'validation_failed',
      'body.description',
      'too_long',
    );
    await refused({ ...valid, title: 't'.repeat(501) }, 400, 'validation_failed', 'body.title', 'too_long');
  });

  it('bad query strings and ids', async () => {
    for (const url of [
      '/api/v1/incidents?fy=abc',
      '/api/v1/incidents?quarter=2',
      '/api/v1/incidents?limit=100000',
      '/api/v1/incidents?cursor=garbage',
      '/api/v1/incidents?cause=nope',
      '/api/v1/incidents/abc',
      '/api/v1/incidents/-1',
      '/api/v1/stats/info-sharing',
      '/api/v1/stats/info-sharing?fy=2023&format=pdf',
      '/api/v1/stats/info-sharing?fy=2023&history=99',
    ]) {
      const res = await as(app, op).get(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.json<ErrorBody>().error.code, url).toBe('validation_failed');
    }
  });

  it('a ref already used for another channel is refused', async () => {
    const center = await makeUser(ctx.services, 'center_analyst', 'Center');
    expect(
      (
        await as(app, center).post('/api/v1/incidents', {
          ...valid,
          ref: 'MIX-1',
          organization: 'Input Power',
        })
      ).statusCode,
    ).toBe(201);
    const res = await as(app, center).post('/api/v1/incidents', {
      ref: 'MIX-1',
      channel: 'center_provision',
      received_at: '2024-03-01T09:00:00+09:00',
      title: 'advisory',
      description: '...',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.code).toBe('ref_channel_conflict');
  });

  it('errors speak English when asked, Japanese by default', async () => {
    const ja = await as(app, null).get('/api/v1/incidents');
    expect(ja.json<ErrorBody>().error.message).toMatch(/認証/);
    const en = await as(app, null).get('/api/v1/incidents', { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.json<ErrorBody>().error.message).toMatch(/authentication required/);
  });

  it('control characters are refused; text is stored in Unicode NFC', async () => {
    await refused(
      { ...valid, ref: 'CTL-1', title: 'bell\u0007' },
      400,
      'validation_failed',
      'body.title',
      'control_character',
    );
    await refused(
      { ...valid, ref: 'CTL-2', title: 'two\nlines' },
      400,
      'validation_failed',
      'body.title',
      'control_character',
    );
    await refused(
      { ...valid, ref: 'CTL-3', description: 'nul\u0000' },
      400,
      'validation_failed',
      'body.description',
      'control_character',
    );
    const decomposed = 'カ\u3099スの停止'; // ガ written as カ + combining voiced mark
    const res = await as(app, op).post('/api/v1/incidents', {
      ...valid,
      ref: 'NFC-1',
      title: decomposed,
      description: 'line one\nline two',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ title: string }>().title).toBe('ガスの停止');
    const again = await as(app, op).post('/api/v1/incidents', {
      ...valid,
      ref: 'NFC-1',
      title: 'ガスの停止',
      description: 'line one\nline two',
    });
    expect(again.statusCode).toBe(200); // the same report, however it was typed
  });

  it('deeply nested JSON is refused before validation', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50; i++) deep = { a: deep };
    const res = await refused({ ...valid, ref: 'DEEP-1', extra: deep }, 400, 'body_too_deep');
    expect(res.error.message).toBeTruthy();
    const arrays = await as(app, op).post('/api/v1/incidents', '['.repeat(100_000) + ']'.repeat(100_000));
    expect(arrays.statusCode).toBe(400);
  });

  it('every answer carries the security headers', async () => {
    for (const url of ['/api/v1/health', '/api/v1/incidents', '/api/v1/no-such-route', '/api/docs/']) {
      const res = await as(app, op).get(url);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(String(res.headers['content-security-policy']), url).toContain("frame-ancestors 'none'");
      expect(String(res.headers['content-security-policy']), url).not.toContain('unsafe-inline');
      expect(res.headers['x-request-id'], url).toBeTruthy();
    }
  });
});
