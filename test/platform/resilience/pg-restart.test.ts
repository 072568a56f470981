import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../../../src/bootstrap.js';
import type { Services } from '../../../src/services.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { testConfig } from '../../support/databases.js';
import type { ThrowawayPostgres } from '../../support/throwaway-postgres.js';
import { postgresBinaries, startThrowawayPostgres } from '../../support/throwaway-postgres.js';

/**
 * PostgreSQL restarts (an upgrade, a failover, a crash) must not turn into 500s nor need kyoyu to
 * be restarted: while the database is away every request answers 503 `database_unavailable` with
 * Retry-After, and once it is back the pool's broken connections are replaced by themselves.
 * Runs against a PostgreSQL instance of its own: the shared test cluster is never restarted.
 */
const bin = postgresBinaries();
if (!bin)
  process.stdout.write(
    '\n[kyoyu] PostgreSQL restart test SKIPPED: no initdb under /usr/lib/postgresql/*/bin (install postgresql)\n',
  );
const suite = bin ? describe : describe.skip;

type Phase = 'up' | 'stopping' | 'down' | 'starting' | 'restarted';

interface Answer {
  phase: Phase;
  at: number;
  ref: string;
  status: number;
  code?: string;
  retryAfter?: string | string[] | number;
}

const POOL_SIZE = 4;
const CLIENTS = 6; // more than the pool: requests also wait for connections when it breaks

const report = (ref: string) => ({
  ref,
  channel: 'operator_report',
  received_at: '2024-06-01T09:00:00+09:00',
  sector: 'water',
  title: `restart test ${ref}`,
  description: 'sent while PostgreSQL restarts',
  stage: 'initial',
  event: 'availability.disruption',
  causes: ['intentional.ddos'],
  attack_type: 'ddos',
});

suite(`PostgreSQL restart under load${bin ? '' : ' (SKIPPED: initdb not found)'}`, () => {
  let pg: ThrowawayPostgres;
  let services: Services;
  let app: FastifyInstance;
  let operator: TestUser;

  beforeAll(async () => {
    pg = await startThrowawayPostgres(bin!);
    services = await openServices(testConfig(pg.url, { KYOYU_PG_POOL_SIZE: String(POOL_SIZE) }));
    app = await testApp(services);
    operator = await makeUser(services, 'operator', 'Restart Test Water');
  });
  afterAll(async () => {
    await app?.close();
    await services?.database.close();
    await pg?.destroy();
  });

  it('answers 503 database_unavailable with Retry-After while it is down, then recovers without a kyoyu restart', async () => {
    const started = performance.now();
    const answers: Answer[] = [];
    let phase: Phase = 'up';
    let sending = true;
    const post = async (ref: string): Promise<Answer> => {
      const res = await as(app, operator).post('/api/v1/incidents', report(ref), { 'accept-language': 'en' });
      // Phase and time of the answer: what a client saw at that moment.
      const answer: Answer = { phase, at: performance.now(), ref, status: res.statusCode };
      if (res.statusCode >= 400) {
        answer.code = res.json<{ error: { code: string } }>().error.code;
        answer.retryAfter = res.headers['retry-after'];
      }
      return answer;
    };
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let seq = 0; sending; seq++) {
        answers.push(await post(`PGR-${c}-${seq}`));
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const health = async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
      return { status: res.statusCode, retryAfter: res.headers['retry-after'] };
    };

    await wait(1_000);
    phase = 'stopping';
    await pg.stop();
    phase = 'down';
    await wait(1_500);
    const healthDown = await health();
    phase = 'starting';
    await pg.start();
    phase = 'restarted';
    const restartedAt = performance.now();
    // Until every client has been answered 201 again since the restart (or 20 s: a failure).
    while (performance.now() - restartedAt < 20_000) {
      const recent = answers.filter((a) => a.phase === 'restarted' && a.at > restartedAt);
      if (new Set(recent.filter((a) => a.status === 201).map((a) => a.ref.split('-')[1])).size === CLIENTS)
        break;
      await wait(50);
    }
    sending = false;
    await Promise.all(clients);
    // Then more requests at once than the pool holds: no broken connection is left in it.
    const burst = await Promise.all(Array.from({ length: POOL_SIZE * 3 }, (_, i) => post(`PGR-burst-${i}`)));
    const healthAfter = await health();

    const by = (p: Phase) => answers.filter((a) => a.phase === p);
    const count = (list: Answer[], status: number) => list.filter((a) => a.status === status).length;
    const firstOk = by('restarted').find((a) => a.status === 201);
    const unavailable = answers.filter((a) => a.status === 503);
    process.stdout.write(
      `\n[pg restart] up: ${count(by('up'), 201)} x 201; stopping: ${count(by('stopping'), 201)} x 201, ` +
        `${count(by('stopping'), 503)} x 503; down: ${count(by('down'), 503)} x 503 of ${by('down').length}; ` +
        `starting: ${count(by('starting'), 503)} x 503; first 201 ${firstOk ? Math.round(firstOk.at - restartedAt) : '-'} ms ` +
        `after pg_ctl start returned; burst ${count(burst, 201)}/${burst.length} x 201; other answers: ` +
        `${answers.filter((a) => a.status !== 201 && a.status !== 503).length}; ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );

    expect(answers.filter((a) => a.status !== 201 && a.status !== 503)).toEqual([]); // never a 500
    expect(count(by('up'), 201)).toBeGreaterThan(0);
    expect(by('down').length).toBeGreaterThan(0);
    expect(count(by('down'), 503)).toBe(by('down').length);
    for (const a of unavailable) expect(a).toMatchObject({ code: 'database_unavailable', retryAfter: '2' });
    expect(healthDown).toEqual({ status: 503, retryAfter: '2' });
    expect(firstOk).toBeDefined();
    expect(burst.map((a) => a.status)).toEqual(burst.map(() => 201));
    expect(healthAfter.status).toBe(200);

    // Every 201 is stored, including those answered just before the stop.
    const acknowledged = [...answers, ...burst].filter((a) => a.status === 201).map((a) => a.ref);
    const stored = await services.database.db
      .selectFrom('incidents')
      .select('ref')
      .where('ref', 'in', acknowledged)
      .execute();
    expect(stored.length).toBe(acknowledged.length);
  }, 90_000);
});
