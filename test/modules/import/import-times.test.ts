import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImportFailed } from '../../../src/modules/import/import.service.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { wholeState } from '../../support/state.js';

/** The occurred_at and detected_at columns of an import file (JSON Lines and CSV). */

const dir = mkdtempSync(join(tmpdir(), 'kyoyu-import-times-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const line = (ref: string, extra: Record<string, string> = {}) => ({
  ref,
  channel: 'operator_report',
  received_at: '2024-06-03T10:00:00+09:00',
  organization: 'Import Times Gas',
  sector: 'gas',
  title: `import ${ref}`,
  description: 'imported',
  stage: 'initial',
  event: 'other',
  causes: ['other.unknown'],
  attack_type: null,
  ...extra,
});
const HEADER =
  'ref,channel,received_at,occurred_at,detected_at,organization,sector,title,description,stage,event,causes,attack_type';
const csvRow = (ref: string, occurred: string, detected: string) =>
  `${ref},operator_report,2024-06-03T10:00:00+09:00,${occurred},${detected},Import Times Gas,gas,import ${ref},imported,initial,other,other.unknown,`;

describeEachDialect('import of occurred and detected times on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await testServices(dialect);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const times = async (ref: string) =>
    ctx.services.database.db
      .selectFrom('incidents')
      .select(['occurred_at', 'detected_at'])
      .where('ref', '=', ref)
      .executeTakeFirstOrThrow();
  const failing = async (path: string) => {
    const before = await wholeState(ctx.services);
    const error = await ctx.services.imports.importFile(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportFailed);
    expect(await wholeState(ctx.services)).toEqual(before);
    return (error as ImportFailed).errors.map((e) => [e.line, e.field, e.code]);
  };

  it('stores them from JSON Lines, and a later line of the same ref corrects them', async () => {
    const lines = [
      line('J-1', { occurred_at: '2024-06-02T22:00:00+09:00', detected_at: '2024-06-03T08:00:00+09:00' }),
      line('J-2'),
      line('J-3', { detected_at: '2024-06-03T00:30:00Z' }),
      {
        ...line('J-3', { occurred_at: '2024-06-01T00:00:00Z' }),
        stage: 'update',
        received_at: '2024-06-04T10:00:00+09:00',
      },
    ];
    const summary = await ctx.services.imports.importFile(
      file('times.jsonl', lines.map((l) => JSON.stringify(l)).join('\n')),
    );
    expect(summary).toMatchObject({ incidents_created: 3, reports_added: 4 });
    expect(await times('J-1')).toEqual({
      occurred_at: '2024-06-02T13:00:00.000Z',
      detected_at: '2024-06-02T23:00:00.000Z',
    });
    expect(await times('J-2')).toEqual({ occurred_at: null, detected_at: null });
    expect(await times('J-3')).toEqual({
      occurred_at: '2024-06-01T00:00:00.000Z',
      detected_at: '2024-06-03T00:30:00.000Z',
    });
  });

  it('stores them from CSV columns; empty cells are absent', async () => {
    const csv = [
      HEADER,
      csvRow('C-1', '2024-06-01T09:00:00+09:00', '2024-06-02T09:00:00+09:00'),
      csvRow('C-2', '', ''),
    ];
    await ctx.services.imports.importFile(file('times.csv', `${csv.join('\n')}\n`));
    expect(await times('C-1')).toEqual({
      occurred_at: '2024-06-01T00:00:00.000Z',
      detected_at: '2024-06-02T00:00:00.000Z',
    });
    expect(await times('C-2')).toEqual({ occurred_at: null, detected_at: null });
  });

  it('refuses bad times line by line with their codes, importing nothing', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const lines = [
      line('B-1', { occurred_at: '2024-06-02T22:00:00' }),
      line('B-2', { detected_at: future }),
      line('B-3', { occurred_at: '2024-06-03T09:00:00+09:00', detected_at: '2024-06-03T08:00:00+09:00' }),
      line('B-4', { detected_at: '2024-06-03T10:00:01+09:00' }),
      line('B-5', { occurred_at: '2024-06-03T11:00:00+09:00' }),
      line('B-6', { description: '  ' }),
      {
        ...line('B-7'),
        channel: 'agency_share',
        stage: undefined,
        event: undefined,
        causes: undefined,
        attack_type: undefined,
        occurred_at: '2024-06-01T00:00:00Z',
      },
      line('B-8'),
    ];
    expect(await failing(file('bad.jsonl', lines.map((l) => JSON.stringify(l)).join('\n')))).toEqual([
      [1, 'occurred_at', 'time_without_offset'],
      [2, 'detected_at', 'time_in_future'],
      [3, 'detected_at', 'detected_before_occurred'],
      [4, 'detected_at', 'received_before_detected'],
      [5, 'occurred_at', 'received_before_occurred'],
      [6, 'description', 'required'],
      [7, 'occurred_at', 'not_allowed_for_channel'],
    ]);
    const csv = [HEADER, csvRow('D-1', '2024-06-03T09:00:00+09:00', '2024-06-03T08:00:00+09:00')];
    expect(await failing(file('bad.csv', `${csv.join('\n')}\n`))).toEqual([
      [2, 'detected_at', 'detected_before_occurred'],
    ]);
  });

  it('refuses a later line whose times contradict an earlier line of the same incident', async () => {
    const lines = [
      line('X-1', { occurred_at: '2024-06-03T00:30:00Z' }),
      {
        ...line('X-1', { detected_at: '2024-06-03T00:00:00Z' }),
        stage: 'update',
        received_at: '2024-06-05T10:00:00Z',
      },
    ];
    const before = await wholeState(ctx.services);
    await expect(
      ctx.services.imports.importFile(
        file('contradict.jsonl', lines.map((l) => JSON.stringify(l)).join('\n')),
      ),
    ).rejects.toMatchObject({ code: 'detected_before_occurred' });
    expect(await wholeState(ctx.services)).toEqual(before);
  });
});
