import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectionIdOf } from '../../../src/modules/taxii/index.js';
import type { TestUser } from '../../support/api.js';
import { makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { ROOT, taxii } from './taxii-support.js';

type Who = 'center' | 'admin' | 'desk' | 'operator' | 'sameSector' | 'stranger';
/** [can_read, can_write] per caller, written out; null: not listed, 404 as missing. */
type Expect = Record<Who, [boolean, boolean] | null>;

const EXPECTED: Record<string, Expect> = {
  public: {
    center: [true, true],
    admin: [true, true],
    desk: [true, false],
    operator: [true, false],
    sameSector: [true, false],
    stranger: [true, false],
  },
  'sector:electricity': {
    center: [true, true],
    admin: [true, true],
    desk: [true, false],
    operator: [true, false],
    sameSector: [true, false],
    stranger: null,
  },
  own: {
    center: [true, true],
    admin: [true, true],
    desk: null,
    operator: [true, false],
    sameSector: null,
    stranger: null,
  },
  'center-inbox': {
    center: [true, true],
    admin: [true, true],
    desk: [false, true],
    operator: [false, true],
    sameSector: [false, true],
    stranger: [false, true],
  },
  'feed:partner.example/x': {
    center: [true, false],
    admin: [true, false],
    desk: null,
    operator: null,
    sameSector: null,
    stranger: null,
  },
};

describeEachDialect('who reads and writes which TAXII collection on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const users = {} as Record<Who, TestUser>;
  let ownKey = '';

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    users.center = await makeUser(ctx.services, 'center_analyst', 'Access Center');
    users.admin = await makeUser(ctx.services, 'admin', 'Access Center');
    users.desk = await makeUser(ctx.services, 'sector_desk', 'Access Ministry', ['electricity']);
    users.operator = await makeUser(ctx.services, 'operator', 'Access Power');
    users.sameSector = await makeUser(ctx.services, 'operator', 'Access Grid');
    users.stranger = await makeUser(ctx.services, 'operator', 'Access Bank');
    const { db } = ctx.services.database;
    await db
      .updateTable('organizations')
      .set({ sector: 'electricity' })
      .where('name', 'in', ['Access Power', 'Access Grid'])
      .execute();
    await db
      .updateTable('organizations')
      .set({ sector: 'finance' })
      .where('name', '=', 'Access Bank')
      .execute();
    const own = await db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', 'Access Power')
      .executeTakeFirstOrThrow();
    ownKey = `org:${own.id}`;
    await ctx.services.taxiiStore.collection(db, 'feed:partner.example/x');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('lists and answers each collection with the truth about can_read and can_write', async () => {
    const wrong: string[] = [];
    for (const [name, expect_] of Object.entries(EXPECTED)) {
      const key = name === 'own' ? ownKey : name;
      const id = collectionIdOf(key);
      for (const [who, expected] of Object.entries(expect_) as Array<[Who, [boolean, boolean] | null]>) {
        const list = await taxii(app, users[who]).get(`${ROOT}/collections/`);
        const listed =
          list.json<{ collections?: Array<{ id: string; can_read: boolean; can_write: boolean }> }>()
            .collections ?? [];
        const entry = listed.find((c) => c.id === id);
        const one = await taxii(app, users[who]).get(`${ROOT}/collections/${id}/`);
        const objects = await taxii(app, users[who]).get(`${ROOT}/collections/${id}/objects/`);
        const got = entry ? [entry.can_read, entry.can_write] : null;
        if (JSON.stringify(got) !== JSON.stringify(expected))
          wrong.push(`${key} as ${who}: listed ${JSON.stringify(got)}`);
        const status = expected === null ? 404 : 200;
        if (one.statusCode !== status) wrong.push(`${key} as ${who}: GET collection ${one.statusCode}`);
        const objectsStatus = expected === null ? 404 : expected[0] ? 200 : 403;
        if (objects.statusCode !== objectsStatus)
          wrong.push(`${key} as ${who}: GET objects ${objects.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
