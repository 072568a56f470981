import { sql } from 'kysely';
import { TEXT_SEARCH_COLUMNS } from '../../../src/modules/incidents/incident.repository.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publishedTables } from '../../../src/modules/stats/published.js';
import { ImportFailed } from '../../../src/modules/import/import.service.js';
import { CSV_COLUMNS } from '../../../src/modules/import/line-readers.js';
import { countRows } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const dir = mkdtempSync(join(tmpdir(), 'kyoyu-import-'));
const GOLDEN = new URL('../../fixtures/golden-fy2023.jsonl', import.meta.url);
const goldenLines = readFileSync(GOLDEN, 'utf8').split('\n').filter(Boolean);

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const csvCell = (value: string | number | string[] | null | undefined): string => {
  const text =
    value === null || value === undefined ? '' : Array.isArray(value) ? value.join(';') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

function toCsv(lines: string[]): string {
  const rows = lines.map((l) => JSON.parse(l) as Record<string, string | number | string[] | null>);
  return (
    [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join(
      '\r\n',
    ) + '\r\n'
  );
}

const good = (ref: string) =>
  JSON.stringify({
    ref,
    channel: 'operator_report',
    received_at: '2023-05-15T14:00:00+09:00',
    organization: 'Import Bank',
    sector: 'finance',
    title: 'phishing',
    description: 'blocked, "quoted", with, commas\nand a new line',
    stage: 'initial',
    event: 'not_occurred.precursor',
    causes: ['intentional.suspicious_email'],
    attack_type: null,
  });

describeEachDialect('file import on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await testServices(dialect);
  });
  afterAll(() => ctx?.close());

  const stored = () =>
    Promise.all([
      countRows(ctx.services, 'incidents'),
      countRows(ctx.services, 'stage_reports'),
      countRows(ctx.services, 'stat_rollup'),
    ]);

  const failing = async (path: string) => {
    const before = await stored();
    const error = await ctx.services.imports.importFile(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportFailed);
    expect(await stored()).toEqual(before);
    return (error as ImportFailed).errors;
  };

  it('one bad line and nothing is imported; every bad line is reported with line, field and code', async () => {
    const lines = [
      good('OK-1'),
      good('OK-2').replace('+09:00', ''),
      '{"ref": "broken"',
      good('OK-3').replace('"finance"', '"space"'),
      '',
      good('OK-4').replace('"attack_type":null', '"attack_type":null,"colour":"red"'),
      JSON.stringify({
        ref: 'OK-5',
        channel: 'agency_share',
        received_at: '2023-05-15T14:00:00Z',
        title: 't',
        description: 'd',
        event: 'other',
      }),
      good('OK-1')
        .replace('"operator_report"', '"center_provision"')
        .replace(/,"stage".*\}$/, '}'),
    ];
    const errors = await failing(file('bad.jsonl', lines.join('\n')));
    expect(errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [2, 'received_at', 'time_without_offset'],
      [3, '(line)', 'malformed_json'],
      [4, 'sector', 'unknown_code'],
      [6, '(line)', 'unknown_field'],
      [7, 'event', 'not_allowed_for_channel'],
      [8, 'channel', 'ref_channel_conflict'],
    ]);
  });

  it('malformed CSV, unknown and missing columns are refused', async () => {
    const unclosed = await failing(
      file('unclosed.csv', `${CSV_COLUMNS.join(',')}\nA,operator_report,"2023-05-15T14:00:00Z\n`),
    );
    expect(unclosed[0]).toMatchObject({ code: 'malformed_csv' });
    const ragged = await failing(file('ragged.csv', `${CSV_COLUMNS.join(',')}\nA,operator_report\n`));
    expect(ragged[0]).toMatchObject({ line: 2, code: 'malformed_csv' });
    const unknown = await failing(file('unknown.csv', `ref,channel,received_at,title,description,colour\n`));
    expect(unknown).toContainEqual(
      expect.objectContaining({ line: 1, field: 'colour', code: 'unknown_field' }),
    );
    const missing = await failing(file('missing.csv', `ref,channel,title,description\n`));
    expect(missing).toContainEqual(
      expect.objectContaining({ line: 1, field: 'received_at', code: 'required' }),
    );
    await expect(ctx.services.imports.importFile(file('x.txt', 'hello'))).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('CSV carries the same lines as JSONL: the golden set as CSV gives the published FY2023 figures, quoted fields intact', async () => {
    const summary = await ctx.services.imports.importFile(
      file('golden.csv', toCsv([...goldenLines, good('Q-1')])),
    );
    expect(summary.format).toBe('csv');
    expect(summary.lines).toBe(goldenLines.length + 1);
    const tables = (await ctx.services.stats.infoSharing(2023, 0)).tables;
    const published = publishedTables();
    expect(tables.channels.operator_report).toEqual(
      published.channels.operator_report!.slice(4).map((v, i) => (i === 0 || i === 4 ? v + 1 : v)),
    );
    expect(tables.attack_types).toEqual(
      Object.fromEntries(Object.entries(published.attack_types).map(([k, v]) => [k, v.slice(4)])),
    );
    const row = await ctx.services.database.db
      .selectFrom('incidents')
      .select('description')
      .where('ref', '=', 'Q-1')
      .executeTakeFirstOrThrow();
    expect(row.description).toBe('blocked, "quoted", with, commas\nand a new line');
  });

  it('a large import leaves the planner statistics fresh (PostgreSQL: analysed, the trigram list merged)', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => good(`AN-${i}`));
    // The threshold is 10,000 reports; lowered here so that a few lines take the same path.
    const summary = await ctx.services.imports.importFile(file('analyze.jsonl', lines.join('\n')), {
      analyzeAfter: 10,
      batchSize: 5,
    });
    expect(summary.reports_added).toBe(12);
    if (dialect !== 'postgres') return;
    const db = ctx.services.database.db;
    const analysed = await sql<{ relname: string }>`select relname from pg_stat_user_tables
      where schemaname = current_schema() and last_analyze is not null`.execute(db);
    expect(analysed.rows.map((r) => r.relname)).toEqual(
      expect.arrayContaining(['incidents', 'stage_reports', 'incident_causes', 'stat_rollup']),
    );
    const pending = await sql<{ n: number }>`select count(*)::int as n from incidents
      where ${ctx.services.database.dialect.containsText(TEXT_SEARCH_COLUMNS, '%AN-1%')}`.execute(db);
    expect(pending.rows[0]!.n).toBe(3); // AN-1, AN-10, AN-11
  });

  it('importing the same CSV again changes nothing', async () => {
    const before = await stored();
    const summary = await ctx.services.imports.importFile(join(dir, 'golden.csv'));
    expect(summary).toMatchObject({
      incidents_created: 0,
      reports_added: 0,
      unchanged: goldenLines.length + 1,
    });
    expect(await stored()).toEqual(before);
  });

  it('an organisation first named by an import that failed is created afresh by the next write, not remembered', async () => {
    const organization = 'Rolled Back Utility';
    const named = (ref: string) => good(ref).replace('"Import Bank"', JSON.stringify(organization));
    // Batches of one: the first line is stored (its organisation created) before the bad one is read.
    const failed = file('rolled-back.jsonl', [named('RB-1'), '{"ref": "broken"'].join('\n'));
    await expect(
      ctx.services.imports.importFile(failed, { source: 'rollback', batchSize: 1 }),
    ).rejects.toBeInstanceOf(ImportFailed);
    const db = ctx.services.database.db;
    const organizationOf = (ref: string) =>
      db
        .selectFrom('incidents')
        .innerJoin('organizations', 'organizations.id', 'incidents.organization_id')
        .select('organizations.name')
        .where('incidents.ref', '=', ref)
        .executeTakeFirst();
    expect(await organizationOf('RB-1')).toBeUndefined();
    // An id remembered from the rolled-back insert would point at no organisation: the write fails.
    const summary = await ctx.services.imports.importFile(file('after.jsonl', named('RB-2')), {
      source: 'rollback',
    });
    expect(summary.incidents_created).toBe(1);
    expect(await organizationOf('RB-2')).toEqual({ name: organization });
  });
});
