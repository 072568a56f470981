import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TLP_LEVELS } from '../../../src/domain/tlp.js';
import { canSee } from '../../../src/access/index.js';
import type { IncidentView } from '../../../src/modules/incidents/incident.view.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const ORGS = [
  { name: 'Paging Power A', sector: 'electricity' },
  { name: 'Paging Power B', sector: 'electricity' },
  { name: 'Paging Gas', sector: 'gas' },
  { name: 'Paging Water', sector: 'water' },
];

/**
 * A scoped caller's list is the merge of a few index-ordered alternatives (own organisation, each
 * shared TLP, each sector). Paged with small pages, it must give exactly what the caller may see,
 * newest first, each once, also where many incidents share one receipt time.
 */
describeEachDialect('paging the incident list as each role on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let all: IncidentView[];
  const orgIds = new Map<string, number>();

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Paging Center');
    for (let i = 0; i < 90; i++) {
      const org = ORGS[(i * 7) % ORGS.length]!;
      // Runs of five incidents share a receipt time: the id decides their order.
      const at = new Date(Date.UTC(2023, 6, 1) + Math.floor(i / 5) * 3_600_000).toISOString();
      const common = { ref: `P-${i}`, received_at: at, title: `paging ${i}`, description: 'd' };
      const tlp = TLP_LEVELS[(i * 3) % TLP_LEVELS.length];
      // Every eleventh is a provision of the center's own (another channel, no sector).
      const body =
        i % 11 === 0
          ? { ...common, channel: 'center_provision', tlp }
          : {
              ...common,
              channel: 'operator_report',
              organization: org.name,
              sector: org.sector,
              stage: 'initial',
              event: 'integrity.destruction',
              causes: ['accidental.vulnerability'],
              attack_type: null,
              tlp,
            };
      const res = await as(app, center).post('/api/v1/incidents', body);
      expect(res.statusCode, res.body).toBe(201);
    }
    all = await pages(center, '');
    const rows = await ctx.services.database.db.selectFrom('organizations').select(['id', 'name']).execute();
    for (const row of rows) orgIds.set(row.name, row.id);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  async function pages(user: TestUser, filter: string): Promise<IncidentView[]> {
    const items: IncidentView[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 100; n++) {
      const res = await as(app, user).get(
        `/api/v1/incidents?limit=7${filter}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: IncidentView[]; next_cursor: string | null }>();
      items.push(...page.items);
      if (!page.next_cursor) return items;
      cursor = page.next_cursor;
    }
    throw new Error('paging did not end');
  }

  it.each([
    ['an operator', 'operator', 'Paging Power A', undefined, ''],
    ['a sector desk of two sectors', 'sector_desk', 'Paging Desk', ['electricity', 'water'], ''],
    [
      'a sector desk, one sector filtered',
      'sector_desk',
      'Paging Desk',
      ['electricity', 'water'],
      '&sector=water',
    ],
    ['an admin, AMBER filtered', 'admin', 'Paging Admin', undefined, '&tlp=AMBER'],
    ['an admin', 'admin', 'Paging Admin', undefined, ''],
  ] as const)(
    '%s pages through exactly what it may see, newest first',
    async (_, role, org, sectors, filter) => {
      const user = await makeUser(ctx.services, role, org, sectors ? [...sectors] : undefined);
      const actor = (await ctx.services.accounts.actorForToken(user.token))!;
      const params = new URLSearchParams(filter);
      const expected = all.filter(
        (i) =>
          canSee(actor, {
            organization_id: i.organization ? orgIds.get(i.organization)! : null,
            sector: i.sector,
            channel: i.channel,
            tlp: i.tlp,
            state: i.state,
            audience: 'community',
          }) &&
          (!params.get('sector') || i.sector === params.get('sector')) &&
          (!params.get('tlp') || i.tlp === params.get('tlp')),
      );
      expect(expected.length).toBeGreaterThan(5);
      expect(expected.length).toBeLessThan(all.length);
      const got = await pages(user, filter);
      expect(got.map((i) => i.ref)).toEqual(expected.map((i) => i.ref));
    },
  );
});
