import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STAT_TABLES } from '../../../src/domain/counting.js';
import { publishedAggregates, publishedTables } from '../../../src/modules/stats/published.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { cli } from '../../support/cli.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import type { StatsAnswer } from '../../support/periods.js';
import { column, file, stats } from '../../support/periods.js';

const PUBLISHED = publishedTables();
const PAST = ['FY2019', 'FY2020', 'FY2021', 'FY2022'];
/** The published figure of every row of every table in one column, in the answer's row order. */
function publishedColumn(answer: StatsAnswer, label: string): Record<string, number[]> {
  const i = PAST.indexOf(label);
  return Object.fromEntries(
    STAT_TABLES.map((t) => [t, Object.keys(answer.tables[t]!).map((code) => PUBLISHED[t][code]![i]!)]),
  );
}
const expectPublished = (answer: StatsAnswer) => {
  for (const label of PAST) expect(column(answer, label), label).toEqual(publishedColumn(answer, label));
};

describeEachDialect('published years are frozen on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let operator: TestUser;
  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    await ctx.services.stats.importAggregates(publishedAggregates().filter((a) => a.fiscalYear < 2023));
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    operator = await makeUser(ctx.services, 'operator', 'Backdating Power');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('a backdated API report into FY2020 leaves FY2020 exactly as published in JSON and counts 1 record', async () => {
    expectPublished(await stats(app, center, 2023));
    await file(app, operator, '2020-06-01T10:00:00+09:00');
    for (const viewer of [center, operator]) {
      const answer = await stats(app, viewer, 2023);
      expectPublished(answer);
      expect(column(answer, 'FY2020').channels).toEqual([309, 16, 64]);
      // How many records a published year holds is live, hence the center's.
      const held = viewer === center ? [0, 1, 0, 0] : [null, null, null, null];
      expect(answer.published_years).toEqual(
        [2019, 2020, 2021, 2022].map((fy, i) => ({ fiscal_year: fy, records: held[i] })),
      );
    }
    // The record is still stored and listed.
    const listed = await as(app, center).get('/api/v1/incidents?fy=2020');
    expect(listed.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('and in CSV, XLSX and HTML', async () => {
    const csv = await as(app, center).get('/api/v1/stats/info-sharing?fy=2023&format=csv');
    const rows = parse(csv.body, { bom: true }) satisfies string[][];
    const fy2020 = rows[0]!.indexOf('FY2020');
    const cell = (table: string, code: string) => rows.find((r) => r[0] === table && r[1] === code)![fy2020];
    expect(['operator_report', 'agency_share', 'center_provision'].map((c) => cell('channels', c))).toEqual([
      '309',
      '16',
      '64',
    ]);
    for (const [code, values] of Object.entries(PUBLISHED.causes))
      expect(cell('causes', code), code).toBe(String(values[1]));
    expect(cell('meta', 'records_beside_published')).toBe('1');
    expect(cell('meta', 'column_state')).toBe('published');

    const xlsx = await as(app, center).get('/api/v1/stats/info-sharing?fy=2023&format=xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const ws = workbook.getWorksheet('情報共有件数')!;
    const sheetRow = (label: string) =>
      ws.getRows(1, ws.rowCount)!.find((r) => r.getCell(2).value === label)!;
    // Columns A and B are labels; FY2019 is C, FY2020 is D.
    expect(sheetRow('重要インフラ事業者等から国家サイバー統括室への情報連絡').getCell(4).value).toBe(309);
    expect(sheetRow('関係省庁・関係機関からの国家サイバー統括室への情報共有').getCell(4).value).toBe(16);
    expect(sheetRow('国家サイバー統括室からの情報提供').getCell(4).value).toBe(64);
    const notes = ws.getRows(1, ws.rowCount)!.map((r) => r.getCell(1).text);
    expect(notes).toContain('2020年度は公表値です。この年度の記録 1 件は公表値に含まれていません。');

    for (const lang of ['ja', 'en'] as const) {
      const html = (await as(app, center).get(`/api/v1/stats/info-sharing?fy=2023&format=html&lang=${lang}`))
        .body;
      const channels = /<table id="channels">([\s\S]*?)<\/table>/.exec(html)![1]!;
      const firstRow = [...channels.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1])).slice(0, 4);
      expect(firstRow).toEqual([269, 309, 407, 302]);
      expect(html).toContain(
        lang === 'ja'
          ? '2020年度は公表値です。この年度の記録 1 件は公表値に含まれていません。'
          : 'FY2020 shows the published figures; the 1 record held for that year is not counted in them.',
      );
    }
  });

  it('a backdated line through `kyoyu import` leaves FY2021 as published, in the CLI output too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyoyu-frozen-'));
    const path = join(dir, 'late.jsonl');
    writeFileSync(
      path,
      JSON.stringify({
        ref: 'LATE-1',
        channel: 'operator_report',
        received_at: '2021-07-01T09:00:00+09:00',
        organization: 'Import Power',
        sector: 'electricity',
        title: 'backdated by import',
        description: 'x',
        stage: 'initial',
        event: 'integrity.destruction',
        causes: ['other.unknown'],
        attack_type: 'ransomware',
      }) + '\n',
    );
    const imported = await cli(ctx.url, 'import', path);
    expect(imported.code, imported.err).toBe(0);
    const printed = await cli(ctx.url, 'stats', '--fy', '2023');
    expect(printed.code, printed.err).toBe(0);
    const answer = JSON.parse(printed.out) as StatsAnswer;
    expectPublished(answer);
    expect(column(answer, 'FY2021').channels).toEqual([407, 6, 91]);
    expect(answer.published_years.find((p) => p.fiscal_year === 2021)).toEqual({
      fiscal_year: 2021,
      records: 1,
    });
    expectPublished(await stats(app, center, 2023));
    const html = await cli(
      ctx.url,
      'stats',
      '--fy',
      '2023',
      '--format',
      'html',
      '--out',
      join(dir, 's.html'),
    );
    expect(html.code, html.err).toBe(0);
  });

  it('a far-future report changes no published year', async () => {
    const before = await stats(app, center, 2023);
    // Refused once received_at is bounded (400), or stored: either way no published figure moves.
    const res = await as(app, operator).post('/api/v1/incidents', {
      channel: 'operator_report',
      received_at: '2090-01-01T00:00:00Z',
      organization: operator.organization,
      sector: 'electricity',
      title: 'far future',
      description: 'x',
      stage: 'initial',
      event: 'integrity.destruction',
      causes: ['other.unknown'],
      attack_type: null,
    });
    expect([201, 400]).toContain(res.statusCode);
    const after = await stats(app, center, 2023);
    expectPublished(after);
    for (const label of PAST) expect(column(after, label)).toEqual(column(before, label));
    // Seen as the year itself, FY2022 is its published total too.
    const fy2022 = await stats(app, center, 2022, 0);
    expect(column(fy2022, 'FY2022').channels).toEqual([302, 2, 83]);
  });
});
