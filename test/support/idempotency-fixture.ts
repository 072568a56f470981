import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { DialectName } from '../../src/platform/db/dialect.js';
import type { TestUser } from './api.js';
import { makeUser, testApp } from './api.js';
import type { TestContext } from './databases.js';
import { testServices } from './databases.js';
import { stateSnapshot, tableNames } from './state.js';

/** What the `key` column holds for a client's key (the key itself is never stored). */
export const storedKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const freshKey = () => `k-${Math.random().toString(36).slice(2)}-${Date.now()}`;
export const codeOf = (res: LightMyRequestResponse) => res.json<{ error: { code: string } }>().error.code;

/** The audit trail records executed requests; a repeat that executes again may add to it. */
export const withoutAudit = (snapshot: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(snapshot).filter(([table]) => !table.startsWith('audit_')));

export interface IdempotencyFixture {
  ctx: TestContext;
  app: FastifyInstance;
  /** Two operators of one organisation, one of another, and the center. */
  op: TestUser;
  colleague: TestUser;
  other: TestUser;
  center: TestUser;
  /** Row counts of every table (and an incidents checksum). */
  state(): Promise<Record<string, unknown>>;
  keyRow(user: TestUser, key: string): ReturnType<typeof findKey>;
  /** Puts a key's row back to pending, `ageMs` old: as if its request were still running, or had died. */
  makePending(user: TestUser, key: string, ageMs: number): Promise<void>;
}

const findKey = (ctx: TestContext, user: TestUser, key: string) =>
  ctx.services.database.db
    .selectFrom('idempotency_keys')
    .innerJoin('users', 'users.id', 'idempotency_keys.user_id')
    .selectAll('idempotency_keys')
    .where('users.email', '=', user.email)
    .where('key', '=', storedKey(key))
    .executeTakeFirst();

/** Services, an app and users on a fresh database for the duration of the enclosing describe. */
export function useIdempotencyFixture(dialect: DialectName): IdempotencyFixture {
  const f = {} as IdempotencyFixture;
  let tables: string[] = [];
  beforeAll(async () => {
    f.ctx = await testServices(dialect);
    f.app = await testApp(f.ctx.services);
    f.op = await makeUser(f.ctx.services, 'operator', 'Idem Power');
    f.colleague = await makeUser(f.ctx.services, 'operator', 'Idem Power');
    f.other = await makeUser(f.ctx.services, 'operator', 'Other Power');
    f.center = await makeUser(f.ctx.services, 'center_analyst', 'Center');
    tables = await tableNames(f.ctx.services);
    if (!tables.includes('idempotency_keys')) throw new Error('no idempotency_keys table');
  });
  afterAll(async () => {
    await f.app?.close();
    await f.ctx?.close();
  });
  f.state = () => stateSnapshot(f.ctx.services, tables);
  f.keyRow = (user, key) => findKey(f.ctx, user, key);
  f.makePending = async (user, key, ageMs) => {
    const row = await findKey(f.ctx, user, key);
    await f.ctx.services.database.db
      .updateTable('idempotency_keys')
      .set({
        status: 0,
        body: 'token-of-a-dead-process',
        created_at: new Date(Date.now() - ageMs).toISOString(),
      })
      .where('user_id', '=', row!.user_id)
      .where('key', '=', storedKey(key))
      .execute();
  };
  return f;
}
