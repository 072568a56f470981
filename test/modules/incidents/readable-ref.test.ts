import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseReadableRef } from '../../../src/domain/readable-ref.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

interface Incident {
  id: number;
  ref: string;
  reports: unknown[];
}

const report = {
  channel: 'operator_report',
  received_at: '2024-05-01T10:00:00+09:00',
  sector: 'water',
  title: '読み上げる参照番号',
  description: '電話で参照番号を伝える',
  stage: 'initial',
  event: 'other',
  causes: ['other.unknown'],
  attack_type: null,
};

/** How someone might write a ref down from the phone: lower case, no hyphens, o for 0, l for 1. */
const sloppy = (ref: string) =>
  `${ref.slice(0, 8).toLowerCase()}${ref.slice(8).replace(/-/g, '').replace(/0/g, 'o').replace(/1/g, 'l').toLowerCase()}`;

describeEachDialect('readable references on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Phone Water');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('a report without a ref gets one readable aloud, found and extended in any spelling', async () => {
    const created = await as(app, op).post('/api/v1/incidents', report);
    expect(created.statusCode).toBe(201);
    const { id, ref } = created.json<Incident>();
    expect(ref).toMatch(/^KY-2024-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}$/);
    expect(parseReadableRef(ref)).toBe(ref);

    const found = await as(app, op).get(`/api/v1/incidents?q=${encodeURIComponent(sloppy(ref))}`);
    expect(found.statusCode).toBe(200);
    expect(found.json<{ items: Incident[] }>().items.map((i) => i.id)).toEqual([id]);

    const update = await as(app, op).post('/api/v1/incidents', {
      ...report,
      ref: sloppy(ref),
      stage: 'update',
      received_at: '2024-05-02T10:00:00+09:00',
      description: '続報',
    });
    expect(update.statusCode).toBe(200);
    expect(update.json<Incident>()).toMatchObject({ id, ref });
    expect(update.json<Incident>().reports).toHaveLength(2);
  });

  it('a wrong check character is no readable ref: a record of its own, and finds nothing', async () => {
    const ref = (await as(app, op).get('/api/v1/incidents')).json<{ items: Incident[] }>().items[0]!.ref;
    const last = ref.at(-1)!;
    const wrong = ref.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    const found = await as(app, op).get(`/api/v1/incidents?q=${encodeURIComponent(wrong)}`);
    expect(found.json<{ items: Incident[] }>().items).toEqual([]);
  });

  it('refs in the older form still work as they are', async () => {
    const old = 'KY-2024-CVR1FZKRCL';
    const first = await as(app, op).post('/api/v1/incidents', { ...report, ref: old, title: 'older' });
    expect(first.statusCode).toBe(201);
    const again = await as(app, op).post('/api/v1/incidents', {
      ...report,
      ref: old,
      title: 'older',
      stage: 'final',
      received_at: '2024-05-03T10:00:00+09:00',
    });
    expect(again.json<Incident>()).toMatchObject({ id: first.json<Incident>().id, ref: old });
    const found = await as(app, op).get(`/api/v1/incidents?q=${old}`);
    expect(found.json<{ items: Incident[] }>().items.map((i) => i.ref)).toEqual([old]);
  });
});
