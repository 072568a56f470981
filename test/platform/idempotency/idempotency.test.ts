import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../../src/app.js';
import { IdempotencyService } from '../../../src/platform/idempotency/idempotency.service.js';
import { as, makeUser } from '../../support/api.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import {
  codeOf,
  freshKey as key,
  storedKey,
  useIdempotencyFixture,
  withoutAudit,
} from '../../support/idempotency-fixture.js';
import { report, SAMPLES, stage } from '../../support/samples.js';

describeEachDialect('Idempotency-Key on %s', (dialect) => {
  const f = useIdempotencyFixture(dialect);

  it('a retry returns the first answer (status, body) and stores nothing new', async () => {
    const k = key();
    const first = await as(f.app, f.op).post('/api/v1/incidents', report('retry'), { 'idempotency-key': k });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const before = await f.state();
    // The same content in another key order and layout is the same request.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(report('retry')).reverse()), null, 2);
    for (const body of [report('retry'), reordered]) {
      const retry = await as(f.app, f.op).post('/api/v1/incidents', body, { 'idempotency-key': k });
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.headers['content-type']).toBe(first.headers['content-type']);
      expect(retry.body).toBe(first.body);
    }
    expect(await f.state()).toEqual(before);
    // Without the key the same report is still stored once, but answered as a repeat (200); the
    // repeat did execute, so the audit trail may say so.
    expect((await as(f.app, f.op).post('/api/v1/incidents', report('retry'))).statusCode).toBe(200);
    expect(withoutAudit(await f.state())).toEqual(withoutAudit(before));
  });

  it('the same key with another request is refused with 422 and stores nothing', async () => {
    const k = key();
    const first = await as(f.app, f.op).post('/api/v1/incidents', report('reuse'), { 'idempotency-key': k });
    expect(first.statusCode).toBe(201);
    const id = first.json<{ id: number }>().id;
    const before = await f.state();
    const other = [
      () => as(f.app, f.op).post('/api/v1/incidents', report('reuse, edited'), { 'idempotency-key': k }),
      () => as(f.app, f.op).post(`/api/v1/incidents/${id}/reports`, stage('next'), { 'idempotency-key': k }),
    ];
    for (const send of other) {
      const res = await send();
      expect(res.statusCode).toBe(422);
      expect(codeOf(res)).toBe('idempotency_key_reused');
    }
    expect(await f.state()).toEqual(before);
    // The stored answer is untouched: the original request still replays.
    const retry = await as(f.app, f.op).post('/api/v1/incidents', report('reuse'), { 'idempotency-key': k });
    expect([retry.statusCode, retry.body]).toEqual([201, first.body]);
  });

  it('keys are per user: the same key from another user is a request of its own', async () => {
    const k = key();
    const mine = await as(f.app, f.op).post('/api/v1/incidents', report('per user'), {
      'idempotency-key': k,
    });
    const theirs = await as(f.app, f.other).post('/api/v1/incidents', report('per user', 'Other Power'), {
      'idempotency-key': k,
    });
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json<{ id: number }>().id).not.toBe(mine.json<{ id: number }>().id);
    // A colleague of the same organisation sending the same report: executed (deduplicated, 200), not replayed.
    const colleagues = await as(f.app, f.colleague).post('/api/v1/incidents', report('per user'), {
      'idempotency-key': k,
    });
    expect(colleagues.statusCode).toBe(200);
    expect(colleagues.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a 4xx the handler gave is kept and replayed; a request refused by validation keeps nothing', async () => {
    const k = key();
    const refused = await as(f.app, f.op).post('/api/v1/incidents', report('not mine', 'Other Power'), {
      'idempotency-key': k,
    });
    expect([refused.statusCode, codeOf(refused)]).toEqual([403, 'organization_mismatch']);
    const again = await as(f.app, f.op).post('/api/v1/incidents', report('not mine', 'Other Power'), {
      'idempotency-key': k,
    });
    expect([again.statusCode, again.headers['idempotent-replayed'], again.body]).toEqual([
      403,
      'true',
      refused.body,
    ]);

    const k2 = key();
    const before = await f.state();
    const invalid = await as(f.app, f.op).post(
      '/api/v1/incidents',
      { ...report('bad'), event: 'nope' },
      {
        'idempotency-key': k2,
      },
    );
    expect(invalid.statusCode).toBe(400);
    expect(await f.state()).toEqual(before);
    expect(await f.keyRow(f.op, k2)).toBeUndefined();
    // The key is still free: the corrected request executes under it.
    const fixed = await as(f.app, f.op).post('/api/v1/incidents', report('bad, fixed'), {
      'idempotency-key': k2,
    });
    expect(fixed.statusCode).toBe(201);
  });

  it('a 5xx is not kept: the key is released and a retry executes', async () => {
    const service = f.ctx.services.idempotency;
    const k = key();
    const claimed = await service.claim(1, k, 'request');
    expect(claimed.kind).toBe('execute');
    if (claimed.kind !== 'execute') return;
    await service.complete(claimed.claim, { status: 503, contentType: 'application/json', body: '{}' });
    expect((await service.claim(1, k, 'request')).kind).toBe('execute');
  });

  it('the table keeps neither the key nor a readable answer (answers may carry new secrets)', async () => {
    const k = key();
    const res = await as(f.app, f.op).post('/api/v1/incidents', report('sealed answer'), {
      'idempotency-key': k,
    });
    expect(res.statusCode).toBe(201);
    const row = await f.keyRow(f.op, k);
    expect(row?.key).toBe(storedKey(k));
    expect(row?.body).not.toContain('sealed answer');
    expect(Buffer.from(row!.body, 'base64').toString('latin1')).not.toContain('sealed answer');
    // Another user's equal key opens nothing of it: the secret is derived per user too.
    const other = await f.ctx.services.idempotency.claim(row!.user_id + 1000, k, 'request');
    expect(other.kind).toBe('execute');
  });

  it('the key is validated: 1-200 visible ASCII characters, else 400 and nothing stored', async () => {
    const before = await f.state();
    for (const bad of ['', 'has space', 'x'.repeat(201), 'キー', 'tab\there']) {
      const res = await as(f.app, f.op).post('/api/v1/incidents', report('bad key'), {
        'idempotency-key': bad,
      });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      const error = res.json<{ error: { code: string; details: Array<{ field: string }> } }>().error;
      expect(error.code).toBe('validation_failed');
      expect([...new Set(error.details.map((d) => d.field))]).toEqual(['headers.idempotency-key']);
    }
    expect(await f.state()).toEqual(before);
    const longest = await as(f.app, f.op).post('/api/v1/incidents', report('longest key'), {
      'idempotency-key': '~'.repeat(200),
    });
    expect(longest.statusCode).toBe(201);
  });

  it('keys expire after 24 h: the key is then free, and old keys are swept', async () => {
    const k = key();
    expect(
      (await as(f.app, f.op).post('/api/v1/incidents', report('expiring'), { 'idempotency-key': k }))
        .statusCode,
    ).toBe(201);
    const row = await f.keyRow(f.op, k);
    const dayAgo = new Date(Date.now() - 25 * 3600 * 1000).toISOString();
    await f.ctx.services.database.db
      .updateTable('idempotency_keys')
      .set({ created_at: dayAgo })
      .where('user_id', '=', row!.user_id)
      .where('key', '=', storedKey(k))
      .execute();
    const reused = await as(f.app, f.op).post('/api/v1/incidents', report('expiring, new'), {
      'idempotency-key': k,
    });
    expect(reused.statusCode).toBe(201);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();

    // A process that has not swept this user yet deletes the user's expired keys on its next new key.
    const old = { user_id: row!.user_id, request_hash: 'h', status: 201, content_type: null, body: '{}' };
    await f.ctx.services.database.db
      .insertInto('idempotency_keys')
      .values([
        { ...old, key: 'expired-1', created_at: dayAgo },
        { ...old, key: 'fresh-1', created_at: new Date().toISOString() },
      ])
      .execute();
    const fresh = new IdempotencyService(f.ctx.services.database);
    expect((await fresh.claim(row!.user_id, key(), 'request')).kind).toBe('execute');
    const { rows } = await sql<{ key: string }>`select key from idempotency_keys
      where user_id = ${row!.user_id} and key in ('expired-1', 'fresh-1')`.execute(
      f.ctx.services.database.db,
    );
    expect(rows.map((r) => r.key)).toEqual(['fresh-1']);
  });

  it('every POST route honours Idempotency-Key, and the OpenAPI document says so', async () => {
    const doc = (await f.app.inject({ url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, Record<string, { parameters?: Array<{ $ref?: string }> }>>;
      components: { parameters: Record<string, { in: string; name: string; description: string }> };
    }>();
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ in: 'header', name: 'Idempotency-Key' });
    expect(doc.components.parameters.IdempotencyKey!.description).toMatch(/24 h/);
    const target = (await as(f.app, f.center).post('/api/v1/incidents', report('walk target'))).json<{
      id: number;
    }>();
    const posts = f.app.registeredRoutes.filter((r) => r.method === 'POST' && r.policy !== 'public');
    expect(posts.length).toBeGreaterThanOrEqual(4);
    let n = 0;
    const unchecked: string[] = [];
    for (const route of posts) {
      const name = `POST ${route.url}`;
      expect(f.app.idempotentRoutes.has(name), name).toBe(true);
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      // TAXII's routes follow the TAXII 2.1 specification, not kyoyu's OpenAPI document.
      if (!route.url.startsWith('/taxii2/'))
        expect(doc.paths[path]?.post?.parameters, name).toContainEqual({
          $ref: '#/components/parameters/IdempotencyKey',
        });
      const sample = SAMPLES[name];
      if (!sample) {
        // Wired and documented (above); its behaviour is checked once it has a sample here.
        unchecked.push(name);
        continue;
      }
      const url = route.url.replace(':id', String(target.id));
      const body = sample(++n);
      const k = key();
      const first = await as(f.app, f.center).post(url, body, { 'idempotency-key': k });
      expect(first.statusCode, `${name}: ${first.body}`).toBeLessThan(300);
      const before = await f.state();
      const retry = await as(f.app, f.center).post(url, body, { 'idempotency-key': k });
      expect([retry.statusCode, retry.headers['idempotent-replayed'], retry.body], name).toEqual([
        first.statusCode,
        'true',
        first.body,
      ]);
      const misuse = await as(f.app, f.center).post(url, sample(++n), { 'idempotency-key': k });
      expect(misuse.statusCode, name).toBe(422);
      const invalid = await as(f.app, f.center).post(url, body, { 'idempotency-key': 'a b' });
      expect(invalid.statusCode, name).toBe(400);
      expect(await f.state(), name).toEqual(before);
    }
    const posted = Object.keys(SAMPLES).filter((r) => r.startsWith('POST '));
    expect(posted.filter((r) => !f.app.idempotentRoutes.has(r))).toEqual([]);
    if (unchecked.length > 0) console.log(`idempotency: no sample body yet for ${unchecked.join(', ')}`);
  });
});

describe('Idempotency-Key on a route added later', () => {
  it('honours it with no code of its own; an answer with a secret is kept, one with a cookie is not', async () => {
    const ctx = await testServices('sqlite');
    const app = await buildApp(ctx.services);
    try {
      let runs = 0;
      const config = { policy: 'incidents:read' as const };
      app.post(
        '/api/v1/test-later',
        { config, schema: { body: z.object({ n: z.number() }) } },
        (_req, reply) => reply.status(201).send({ runs: ++runs }),
      );
      app.post('/api/v1/test-cookie', { config }, (_req, reply) =>
        reply.header('set-cookie', 'session=s; HttpOnly').send({ runs: ++runs }),
      );
      app.post('/api/v1/test-secret', { config }, (_req, reply) =>
        reply.header('cache-control', 'no-store').send({ secret: `s${++runs}` }),
      );
      await app.ready();
      const user = await makeUser(ctx.services, 'operator', 'Later Co');
      const send = (url: string, k: string) => as(app, user).post(url, { n: 1 }, { 'idempotency-key': k });
      expect(app.idempotentRoutes.has('POST /api/v1/test-later')).toBe(true);
      const first = await send('/api/v1/test-later', 'later');
      const retry = await send('/api/v1/test-later', 'later');
      expect([first.statusCode, first.body]).toEqual([201, '{"runs":1}']);
      expect([retry.statusCode, retry.body, retry.headers['idempotent-replayed']]).toEqual([
        201,
        '{"runs":1}',
        'true',
      ]);
      const cookie = [await send('/api/v1/test-cookie', 'c'), await send('/api/v1/test-cookie', 'c')];
      expect(cookie[1]!.headers['idempotent-replayed']).toBeUndefined();
      expect(cookie[1]!.body).not.toBe(cookie[0]!.body);
      const secret = [await send('/api/v1/test-secret', 's'), await send('/api/v1/test-secret', 's')];
      expect([secret[1]!.headers['idempotent-replayed'], secret[1]!.body]).toEqual(['true', secret[0]!.body]);
      expect(runs).toBe(4);
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});
