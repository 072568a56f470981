import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Dialect } from '../../../src/platform/db/dialect.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

/**
 * A new incident's 201 answer is made from the rows just written (a fast path on each database),
 * not read back: it must say exactly what a read of the incident says afterwards.
 */
describeEachDialect('the answer to a new incident on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let operator: TestUser;
  let center: TestUser;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    operator = await makeUser(ctx.services, 'operator', 'Answer Water');
    center = await makeUser(ctx.services, 'center_analyst', 'Answer Center');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it.each([
    ['an operator', () => operator, {}],
    [
      'the center, for an organisation, marked GREEN',
      () => center,
      { organization: 'Answer Gas', tlp: 'GREEN' },
    ],
  ] as const)('equals a read of it afterwards: %s', async (_, user, extra) => {
    const res = await as(app, user()).post('/api/v1/incidents', {
      channel: 'operator_report',
      received_at: '2024-02-29T23:59:59.5+09:00',
      sector: 'water',
      title: '浄水場の制御端末で不審な通信',
      description: '詳細は調査中',
      stage: 'initial',
      event: 'integrity.destruction',
      causes: ['accidental.vulnerability', 'other.unknown'],
      attack_type: 'ransomware',
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<{ id: number }>();
    // Read by the same caller: the answer's `actions` are the caller's.
    const read = await as(app, user()).get(`/api/v1/incidents/${created.id}`);
    expect(read.statusCode).toBe(200);
    expect(created).toEqual(read.json());
  });

  it.runIf(dialect === 'postgres')(
    'is one statement on PostgreSQL; a repeat of it falls back to the transaction and stores nothing',
    async () => {
      const writeOne = vi.spyOn(ctx.services.database.dialect as Required<Dialect>, 'writeOne');
      try {
        const report = {
          channel: 'operator_report',
          ref: 'ONE-STATEMENT',
          received_at: '2024-03-01T09:00:00+09:00',
          sector: 'water',
          title: 't',
          description: 'd',
          stage: 'initial',
          event: 'other',
          causes: ['other.unknown'],
        };
        const created = await as(app, operator).post('/api/v1/incidents', report);
        expect(created.statusCode, created.body).toBe(201);
        expect(writeOne).toHaveBeenCalledTimes(1);
        const written = (await writeOne.mock.results[0]!.value) as { id: number } | null;
        expect(written?.id).toBe(created.json<{ id: number }>().id);
        const repeat = await as(app, operator).post('/api/v1/incidents', report);
        expect(repeat.statusCode, repeat.body).toBe(200);
        expect(writeOne).toHaveBeenCalledTimes(2);
        expect(await writeOne.mock.results[1]!.value).toBeNull();
      } finally {
        writeOne.mockRestore();
      }
    },
  );
});
