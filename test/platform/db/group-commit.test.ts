import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, onCommit } from '../../../src/platform/db/transaction.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

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

  it('runs onCommit hooks after the shared commit, and never those of a write rolled back alone', async () => {
    const { database } = ctx.services;
    const now = new Date().toISOString();
    const seen: string[] = [];
    const write = (name: string, fail: boolean) =>
      inTransaction(
        database,
        async (trx) => {
          await trx.insertInto('organizations').values({ name, sector: null, created_at: now }).execute();
          onCommit(trx, () => seen.push(name));
          // Not yet: the commit that holds this write has not happened.
          expect(seen).not.toContain(name);
          if (fail) throw new Error(`refused ${name}`);
        },
        { grouped: true },
      );
    const results = await Promise.allSettled(
      ['hook-a', 'hook-b', 'hook-c'].map((n) => write(n, n === 'hook-b')),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(seen.sort()).toEqual(['hook-a', 'hook-c']);
  });
});

describeEachDialect('onCommit on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await testServices(dialect);
  });
  afterAll(() => ctx?.close());

  it('runs after a commit, not after a rollback; at once outside a transaction', async () => {
    const { database } = ctx.services;
    const seen: string[] = [];
    await inTransaction(database, (trx) => {
      onCommit(trx, () => seen.push('committed'));
      expect(seen).toEqual([]);
      return Promise.resolve();
    });
    await expect(
      inTransaction(database, (trx) => {
        onCommit(trx, () => seen.push('rolled back'));
        return Promise.reject(new Error('refused'));
      }),
    ).rejects.toThrow('refused');
    onCommit(database.db, () => seen.push('autocommit'));
    expect(seen).toEqual(['committed', 'autocommit']);
  });

  it('refuses a transaction it cannot see commit, rather than run the hook too early', async () => {
    const { database } = ctx.services;
    await expect(
      database.db.transaction().execute((trx) => {
        onCommit(trx, () => undefined);
        return Promise.resolve();
      }),
    ).rejects.toThrow(/inTransaction/);
  });
});
