import { expect, it } from 'vitest';
import { openServices } from '../../../src/bootstrap.js';
import { as, testApp } from '../../support/api.js';
import { describeEachDialect, testConfig } from '../../support/databases.js';
import {
  codeOf,
  freshKey as key,
  useIdempotencyFixture,
  withoutAudit,
} from '../../support/idempotency-fixture.js';
import { report } from '../../support/samples.js';

/** Idempotency keys under concurrency, across processes, and through the crash window. */
describeEachDialect('Idempotency-Key races on %s', (dialect) => {
  const f = useIdempotencyFixture(dialect);

  it('concurrent requests with one key: exactly one executes, the others wait their turn or replay', async () => {
    const k = key();
    const before = await f.state();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        as(f.app, f.op).post('/api/v1/incidents', report('concurrent'), { 'idempotency-key': k }),
      ),
    );
    const executed = answers.filter((a) => a.statusCode < 300 && !a.headers['idempotent-replayed']);
    expect(executed).toHaveLength(1);
    expect(executed[0]!.statusCode).toBe(201);
    for (const answer of answers) {
      if (answer.statusCode === 409) {
        expect(codeOf(answer)).toBe('idempotency_in_progress');
        expect(answer.headers['retry-after']).toBe('1');
      } else {
        expect([answer.statusCode, answer.body]).toEqual([201, executed[0]!.body]);
      }
    }
    const after = await f.state();
    expect(after.incidents).toBe((before.incidents as number) + 1);
    expect(after.stage_reports).toBe((before.stage_reports as number) + 1);
  });

  it('holds across processes: two apps on one database execute a key once', async () => {
    const second = await openServices(testConfig(f.ctx.url));
    const secondApp = await testApp(second);
    try {
      const k = key();
      const before = await f.state();
      const answers = await Promise.all(
        [f.app, secondApp, f.app, secondApp].map((a) =>
          as(a, f.op).post('/api/v1/incidents', report('two processes'), { 'idempotency-key': k }),
        ),
      );
      const executed = answers.filter((a) => a.statusCode < 300 && !a.headers['idempotent-replayed']);
      expect(executed.map((a) => a.statusCode)).toEqual([201]);
      expect(answers.every((a) => a.statusCode === 409 || a.body === executed[0]!.body)).toBe(true);
      expect((await f.state()).incidents).toBe((before.incidents as number) + 1);
    } finally {
      await secondApp.close();
      await second.database.close();
    }
  });

  it('a pending key answers 409, and another request under it 422', async () => {
    const k = key();
    expect(
      (await as(f.app, f.op).post('/api/v1/incidents', report('pending'), { 'idempotency-key': k }))
        .statusCode,
    ).toBe(201);
    await f.makePending(f.op, k, 1_000);
    const busy = await as(f.app, f.op).post('/api/v1/incidents', report('pending'), { 'idempotency-key': k });
    expect([busy.statusCode, codeOf(busy)]).toEqual([409, 'idempotency_in_progress']);
    // Another request under a pending key is still a misuse of the key, not a wait.
    const misuse = await as(f.app, f.op).post('/api/v1/incidents', report('pending, other'), {
      'idempotency-key': k,
    });
    expect(misuse.statusCode).toBe(422);
    expect((await f.keyRow(f.op, k))?.body).toBe('token-of-a-dead-process');
  });

  it('crash window: the write committed but the answer was never kept; the retry executes again and stores the report once', async () => {
    const k = key();
    // No ref: the server derives it from the content, so the second execution finds the first report.
    const first = await as(f.app, f.op).post('/api/v1/incidents', report('crash window'), {
      'idempotency-key': k,
    });
    expect(first.statusCode).toBe(201);
    const before = await f.state();
    await f.makePending(f.op, k, 2 * 60 * 1000);
    const retry = await as(f.app, f.op).post('/api/v1/incidents', report('crash window'), {
      'idempotency-key': k,
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.json<{ id: number }>().id).toBe(first.json<{ id: number }>().id);
    expect(withoutAudit(await f.state())).toEqual(withoutAudit(before));
    // The answer of the second execution is the one kept now.
    expect((await f.keyRow(f.op, k))?.status).toBe(200);
    const again = await as(f.app, f.op).post('/api/v1/incidents', report('crash window'), {
      'idempotency-key': k,
    });
    expect([again.statusCode, again.headers['idempotent-replayed'], again.body]).toEqual([
      200,
      'true',
      retry.body,
    ]);
  });
});
