import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/platform/db/transaction.js';
import type { TestContext } from '../../support/databases.js';
import { testServices } from '../../support/databases.js';

describe('SQLite group commit', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await testServices('sqlite');
  });
  afterAll(() => ctx?.close());

  it('concurrent writes share commits; a failing write is rolled back alone and its caller told', async () => {
    const { database } = ctx.services;
    const now = new Date().toISOString();
    const write = (name: string, fail: boolean) =>
      inTransaction(
        database,
        async (trx) => {
          await trx.insertInto('organizations').values({ name, sector: null, created_at: now }).execute();
          if (fail) throw new Error(`refused ${name}`);
          return name;
        },
        { grouped: true },
      );
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => write(`org-${i}`, i % 7 === 3)),
    );
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([3, 10, 17, 24, 31, 38]);
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toHaveLength(34);
    const names = (await database.db.selectFrom('organizations').select('name').execute())
      .map((r) => r.name)
      .sort();
    expect(names).toHaveLength(34);
    expect(names).not.toContain('org-3');
    expect(names).toContain('org-4');
  });

  it('a write that violates a constraint fails alone; the batch commits the rest', async () => {
    const { database } = ctx.services;
    const now = new Date().toISOString();
    const results = await Promise.allSettled(
      ['dup', 'dup', 'solo'].map((name) =>
        inTransaction(
          database,
          (trx) => trx.insertInto('organizations').values({ name, sector: null, created_at: now }).execute(),
          {
            grouped: true,
          },
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await database.db
      .selectFrom('organizations')
      .select('name')
      .where('name', 'in', ['dup', 'solo'])
      .execute();
    expect(rows.map((r) => r.name).sort()).toEqual(['dup', 'solo']);
  });
});
