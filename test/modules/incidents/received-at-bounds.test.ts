import type { FastifyInstance } from 'fastify';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { ImportFailed } from '../../../src/modules/import/import.service.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { cli } from '../../support/cli.js';
import { stateSnapshot, tableNames } from '../../support/state.js';

const dir = mkdtempSync(join(tmpdir(), 'kyoyu-bounds-'));
const line = (ref: string, received_at: string, stage = 'initial') => ({
  ref,
  channel: 'operator_report',
  received_at,
  organization: 'Bounds Gas',
  sector: 'gas',
  title: `report ${ref}`,
  description: 'x',
  stage,
  event: 'other',
  causes: ['other.unknown'],
  attack_type: null,
});
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** Instants outside the default bounds (2000-01-01 in Asia/Tokyo .. now + 300 s). */
const OUT_OF_RANGE = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00+09:00',
  '1999-12-31T23:59:59+09:00',
  '1999-12-31T14:59:59Z',
  '9999-12-31T23:59:59Z',
  '2999-01-01T00:00:00+09:00',
];

describeEachDialect('received_at bounds on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser, desk: TestUser, center: TestUser;
  let tables: string[];
  let stageTarget: number;
  const snapshot = () => stateSnapshot(ctx.services, tables);
  const code = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Bounds Gas');
    desk = await makeUser(ctx.services, 'sector_desk', 'Gas Desk', ['gas']);
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    tables = await tableNames(ctx.services);
    const res = await as(app, op).post('/api/v1/incidents', line('B-0', '2023-06-01T10:00:00+09:00'));
    expect(res.statusCode).toBe(201);
    stageTarget = res.json<{ id: number }>().id;
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('refuses a received_at before the earliest date or in the future on every API path, storing nothing', async () => {
    const before = await snapshot();
    for (const at of [...OUT_OF_RANGE, inMinutes(10)]) {
      const attempts = [
        as(app, op).post('/api/v1/incidents', line(`B-${at}`, at)),
        as(app, op).post(`/api/v1/incidents/${stageTarget}/reports`, {
          stage: 'update',
          received_at: at,
          description: 'y',
          event: 'other',
          causes: ['other.unknown'],
        }),
        as(app, desk).post('/api/v1/agency-shares', { received_at: at, title: 'share', body: 'b' }),
        as(app, center).post('/api/v1/center-provisions', { received_at: at, title: 'prov', body: 'b' }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect([at, res.statusCode, code(res)]).toEqual([at, 400, 'received_at_out_of_range']);
        expect(res.json<{ error: { details: Array<{ field: string }> } }>().error.details[0]!.field).toBe(
          'body.received_at',
        );
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('accepts the first instant of the earliest day and a clock a little ahead', async () => {
    for (const at of ['2000-01-01T00:00:00+09:00', '1999-12-31T15:00:00Z', inMinutes(2)]) {
      const res = await as(app, op).post('/api/v1/incidents', line(`OK-${at}`, at));
      expect([at, res.statusCode]).toEqual([at, 201]);
    }
  });

  it('refuses an import with an out-of-range line, listing it, storing nothing', async () => {
    const path = join(dir, `bounds-${dialect}.jsonl`);
    const lines = [
      line('F-1', '2023-06-01T10:00:00+09:00'),
      line('F-2', '0000-01-01T00:00:00Z'),
      line('F-3', '9999-12-31T00:00:00Z'),
      line('F-4', inMinutes(60)),
    ];
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n'));
    const before = await snapshot();
    const error = await ctx.services.imports.importFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFailed);
    expect((error as ImportFailed).errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [2, 'received_at', 'received_at_out_of_range'],
      [3, 'received_at', 'received_at_out_of_range'],
      [4, 'received_at', 'received_at_out_of_range'],
    ]);
    expect(await snapshot()).toEqual(before);
    // `kyoyu import` lists each such line and exits 1.
    const run = await cli(ctx.url, 'import', path);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^line 2: received_at: received_at_out_of_range: /m);
    expect(run.err).toMatch(/^line 4: received_at: received_at_out_of_range: /m);
    expect(await snapshot()).toEqual(before);
  });

  it('follows KYOYU_EARLIEST_RECEIVED_AT and KYOYU_CLOCK_SKEW_SECONDS', async () => {
    const narrow = await testServices(dialect, {
      KYOYU_EARLIEST_RECEIVED_AT: '2023-04-01T00:00:00+09:00',
      KYOYU_CLOCK_SKEW_SECONDS: '0',
    });
    try {
      const narrowApp = await testApp(narrow.services);
      const user = await makeUser(narrow.services, 'operator', 'Bounds Gas');
      const post = (ref: string, at: string) => as(narrowApp, user).post('/api/v1/incidents', line(ref, at));
      expect(code(await post('N-1', '2023-03-31T23:59:59+09:00'))).toBe('received_at_out_of_range');
      expect((await post('N-2', '2023-04-01T00:00:00+09:00')).statusCode).toBe(201);
      expect(code(await post('N-3', inMinutes(1)))).toBe('received_at_out_of_range');
      await narrowApp.close();
    } finally {
      await narrow.close();
    }
  });
});

describe('received_at bounds configuration', () => {
  it('defaults to 2000-01-01 in the deployment time zone and 300 s of skew', () => {
    expect(loadConfig({}).receivedAtBounds).toEqual({
      earliestMs: Date.parse('2000-01-01T00:00:00+09:00'),
      clockSkewMs: 300_000,
    });
    expect(loadConfig({ KYOYU_TIME_ZONE: 'Europe/Paris' }).receivedAtBounds.earliestMs).toBe(
      Date.parse('2000-01-01T00:00:00+01:00'),
    );
  });
  it('refuses a bad earliest date or skew at start', () => {
    for (const env of [
      { KYOYU_EARLIEST_RECEIVED_AT: '2000-02-30' },
      { KYOYU_EARLIEST_RECEIVED_AT: '2000-01-01T00:00:00' },
      { KYOYU_EARLIEST_RECEIVED_AT: '0000-01-01' },
      { KYOYU_EARLIEST_RECEIVED_AT: 'yesterday' },
      { KYOYU_CLOCK_SKEW_SECONDS: '-1' },
      { KYOYU_CLOCK_SKEW_SECONDS: 'five' },
    ])
      expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});
