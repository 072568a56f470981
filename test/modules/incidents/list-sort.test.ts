import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TLP_LEVELS } from '../../../src/domain/tlp.js';
import { canSee, visibilityOf } from '../../../src/access/index.js';
import { IncidentRepository } from '../../../src/modules/incidents/incident.repository.js';
import type { IncidentView } from '../../../src/modules/incidents/incident.view.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { wholeState } from '../../support/state.js';

const ORGS = [
  { name: 'Sort Power', sector: 'electricity' },
  { name: 'Sort Gas', sector: 'gas' },
  { name: 'Sort Bank', sector: 'finance' },
  { name: 'Sort Water', sector: 'water' },
];
const STAGES = ['initial', 'update', 'final'] as const;
const RANK: Record<string, number> = { initial: 1, update: 2, final: 3 };

type Page = { items: IncidentView[]; next_cursor: string | null; total: number | null };

/**
 * Sorting the list by received time, sector or stage, either way, paged with small pages: exactly
 * what the caller may see, in (key, received time, id) order, each once, also across runs of equal
 * keys and equal times; the total is the filtered list's size, counted once per record.
 */
describeEachDialect('sorting, filtering and counting the incident list on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let all: IncidentView[];
  const orgIds = new Map<string, number>();

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Sort Center');
    for (let i = 0; i < 60; i++) {
      const org = ORGS[(i * 5) % ORGS.length]!;
      // Runs of four share a receipt time: the id decides their order within a key.
      const at = new Date(Date.UTC(2024, 5, 1) + Math.floor(i / 4) * 3_600_000).toISOString();
      const common = { ref: `S-${i}`, received_at: at, title: `sorted ${i}` };
      const tlp = TLP_LEVELS[(i * 3) % TLP_LEVELS.length];
      const kind = i % 9 === 0 ? 'center_provision' : i % 13 === 0 ? 'agency_share' : 'operator_report';
      const res =
        kind === 'operator_report'
          ? await as(app, center).post('/api/v1/incidents', {
              ...common,
              description: 'd',
              channel: kind,
              organization: org.name,
              sector: org.sector,
              stage: 'initial',
              event: 'integrity.destruction',
              causes: ['accidental.vulnerability'],
              attack_type: null,
              tlp,
            })
          : await as(app, center).post(
              kind === 'agency_share' ? '/api/v1/agency-shares' : '/api/v1/center-provisions',
              {
                ...common,
                body: 'b',
                tlp,
              },
            );
      expect(res.statusCode, res.body).toBe(201);
      const stage = STAGES[i % 3]!;
      if (kind === 'operator_report' && stage !== 'initial') {
        const id = res.json<{ id: number }>().id;
        const more = await as(app, center).post(`/api/v1/incidents/${id}/reports`, {
          stage,
          received_at: new Date(Date.parse(at) + 60_000).toISOString(),
          description: stage,
          event: 'integrity.destruction',
          causes: ['accidental.vulnerability'],
          attack_type: null,
        });
        expect(more.statusCode, more.body).toBe(201);
      }
    }
    all = await pages(center, '&sort=received&order=desc');
    expect(all).toHaveLength(60);
    for (const row of await ctx.services.database.db
      .selectFrom('organizations')
      .select(['id', 'name'])
      .execute())
      orgIds.set(row.name, row.id);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  async function pages(user: TestUser, query: string): Promise<IncidentView[]> {
    const items: IncidentView[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 100; n++) {
      const res = await as(app, user).get(
        `/api/v1/incidents?limit=7${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<Page>();
      // The total comes with the first page only.
      expect(page.total === null).toBe(cursor !== undefined);
      items.push(...page.items);
      if (!page.next_cursor) return items;
      cursor = page.next_cursor;
    }
    throw new Error('paging did not end');
  }

  const keyOf = (sort: string, i: IncidentView): string | number =>
    sort === 'sector'
      ? (i.sector ?? '')
      : sort === 'stage'
        ? (RANK[i.stage ?? ''] ?? 0)
        : i.first_received_at;
  const ordered = (items: IncidentView[], sort: string, order: string) =>
    [...items].sort((a, b) => {
      const [ka, kb] = [keyOf(sort, a), keyOf(sort, b)];
      const c =
        ka !== kb
          ? ka < kb
            ? -1
            : 1
          : a.first_received_at !== b.first_received_at
            ? a.first_received_at < b.first_received_at
              ? -1
              : 1
            : a.id - b.id;
      return order === 'asc' ? c : -c;
    });
  const visibleTo = async (user: TestUser) => {
    const actor = (await ctx.services.accounts.actorForToken(user.token))!;
    return all.filter((i) =>
      canSee(actor, {
        organization_id: i.organization ? orgIds.get(i.organization)! : null,
        sector: i.sector,
        channel: i.channel,
        tlp: i.tlp,
        state: i.state,
        audience: 'community',
      }),
    );
  };

  it.each([
    ['the center', 'center_analyst', 'Sort Center', undefined],
    ['an operator', 'operator', 'Sort Power', undefined],
    ['a sector desk of two sectors', 'sector_desk', 'Sort Desk', ['electricity', 'gas']],
  ] as const)(
    '%s pages through every sort either way, in order, each record once',
    async (_, role, org, sectors) => {
      const user =
        role === 'center_analyst'
          ? center
          : await makeUser(ctx.services, role, org, sectors ? [...sectors] : undefined);
      const visible = await visibleTo(user);
      expect(visible.length).toBeGreaterThan(10);
      for (const sort of ['received', 'sector', 'stage'])
        for (const order of ['asc', 'desc']) {
          const got = await pages(user, `&sort=${sort}&order=${order}`);
          expect(
            got.map((i) => i.ref),
            `${sort} ${order}`,
          ).toEqual(ordered(visible, sort, order).map((i) => i.ref));
        }
      const first = await as(app, user).get('/api/v1/incidents?limit=5');
      expect(first.json<Page>().total).toBe(visible.length);
    },
  );

  it('filters by channel and by the own organisation, and counts what the filter matches', async () => {
    const operator = await makeUser(ctx.services, 'operator', 'Sort Gas');
    const visible = await visibleTo(operator);
    const own = visible.filter((i) => i.organization === 'Sort Gas');
    expect(own.length).toBeGreaterThan(3);
    expect(own.length).toBeLessThan(visible.length);
    const mine = await pages(operator, '&mine=true');
    expect(mine.map((i) => i.ref)).toEqual(own.map((i) => i.ref));
    const res = await as(app, operator).get('/api/v1/incidents?mine=true&limit=2');
    expect(res.json<Page>().total).toBe(own.length);
    for (const channel of ['operator_report', 'agency_share', 'center_provision']) {
      const expected = visible.filter((i) => i.channel === channel);
      expect(expected.length, channel).toBeGreaterThan(0);
      const got = await pages(operator, `&channel=${channel}&sort=sector&order=asc`);
      expect(got.map((i) => i.ref)).toEqual(ordered(expected, 'sector', 'asc').map((i) => i.ref));
      const page = await as(app, operator).get(`/api/v1/incidents?channel=${channel}&limit=1`);
      expect(page.json<Page>().total).toBe(expected.length);
    }
    // mine=false is no filter at all.
    expect((await as(app, operator).get('/api/v1/incidents?mine=false')).json<Page>().total).toBe(
      visible.length,
    );
  });

  it('counts exactly up to the cap and says so above it, each record once across branches', async () => {
    const repo = new IncidentRepository(ctx.services.database.db, ctx.services.database.dialect);
    const operator = await makeUser(ctx.services, 'operator', 'Sort Power');
    const actor = (await ctx.services.accounts.actorForToken(operator.token))!;
    const visible = (await visibleTo(operator)).length;
    const filter = { state: 'received' as const };
    expect(visibilityOf(actor).branches.length).toBeGreaterThan(1);
    expect(await repo.count(visibilityOf(actor), filter, visible)).toEqual({ n: visible, capped: false });
    expect(await repo.count(visibilityOf(actor), filter, visible - 1)).toEqual({
      n: visible - 1,
      capped: true,
    });
    expect(await repo.count(visibilityOf(actor), filter, 3)).toEqual({ n: 3, capped: true });
    const page = (await as(app, operator).get('/api/v1/incidents?limit=1')).json<
      Page & { total_capped: boolean }
    >();
    expect([page.total, page.total_capped]).toEqual([visible, false]);
  });

  it('refuses a cursor of another sort, or not given out, and changes nothing', async () => {
    const bySector = (await as(app, center).get('/api/v1/incidents?limit=3&sort=sector')).json<Page>();
    const byTime = (await as(app, center).get('/api/v1/incidents?limit=3')).json<Page>();
    const forged = Buffer.from("sector|x' or 1=1|2024-06-01T00:00:00.000Z|1").toString('base64url');
    for (const query of [
      `sort=stage&cursor=${bySector.next_cursor}`,
      `sort=sector&cursor=${byTime.next_cursor}`,
      `cursor=${bySector.next_cursor}`,
      `sort=sector&cursor=${forged}`,
      'sort=title',
      'order=up',
      'mine=perhaps',
    ]) {
      const before = await wholeState(ctx.services);
      const res = await as(app, center).get(`/api/v1/incidents?${query}`);
      expect(await wholeState(ctx.services), query).toEqual(before);
      expect(res.statusCode, query).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
  });
});
