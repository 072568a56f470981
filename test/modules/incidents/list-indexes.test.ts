import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  REVIEW_PENDING_SQL,
  TEXT_SEARCH_COLUMNS,
} from '../../../src/modules/incidents/incident.repository.js';
import { sortKeySql } from '../../../src/modules/incidents/list-sort.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

/**
 * The review queue is listed from the partial index of migration 003, and free text on PostgreSQL
 * is found through the trigram index of migration 004, only while the list query writes its
 * condition exactly as the index does: an edit to either side shows up here as a plan that reads
 * the whole time index (or the table) instead.
 */
describeEachDialect('the incident list reads its indexes on %s', (dialect) => {
  let ctx: TestContext;
  const dir = mkdtempSync(join(tmpdir(), 'kyoyu-review-'));

  beforeAll(async () => {
    ctx = await testServices(dialect);
    const lines = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({
        ref: `R-${i}`,
        channel: 'operator_report',
        received_at: new Date(Date.UTC(2023, 4, 1) + i * 3_600_000).toISOString(),
        organization: 'Review Power',
        sector: 'electricity',
        title: `incident ${i}`,
        description: 'details',
        stage: 'initial',
        event: 'integrity.destruction',
        causes: ['accidental.vulnerability'],
        attack_type: null,
      }),
    );
    const file = join(dir, 'review.jsonl');
    writeFileSync(file, lines.join('\n'));
    await ctx.services.imports.importFile(file);
    // The center keeps up: nine in ten are classified, so the queue is a small part of the table.
    const db = ctx.services.database.db;
    await sql`update incidents set center_event = event, center_causes = causes, center_classified_at = updated_at where id % 10 <> 0`.execute(
      db,
    );
    await sql.raw('analyze').execute(db);
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists pending incidents newest first from incidents_review_time_idx', async () => {
    const db = ctx.services.database.db;
    const query = sql`select incidents.id from incidents where ${REVIEW_PENDING_SQL} order by incidents.first_received_at desc, incidents.id desc limit 50`;
    const plan =
      dialect === 'sqlite'
        ? (await sql<{ detail: string }>`explain query plan ${query}`.execute(db)).rows.map((r) => r.detail)
        : (await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(db)).rows.map(
            (r) => r['QUERY PLAN'],
          );
    expect(plan.join('\n')).toContain('incidents_review_time_idx');
    const pending = await sql<{ id: number }>`${query}`.execute(db);
    expect(pending.rows.length).toBe(40);
  });

  it.each([
    ['sector', 'incidents_sector_sort_idx'],
    ['stage', 'incidents_stage_sort_idx'],
  ] as const)('sorts by %s from its expression index of migration 012, either way', async (sort, index) => {
    const db = ctx.services.database.db;
    for (const dir of [sql.raw('asc'), sql.raw('desc')]) {
      const key = sortKeySql(sort);
      const query = sql`select incidents.id from incidents order by ${key} ${dir}, incidents.first_received_at ${dir}, incidents.id ${dir} limit 50`;
      const plan = await db.transaction().execute(async (trx) => {
        if (dialect === 'postgres') await sql`set local enable_sort = off`.execute(trx);
        return dialect === 'sqlite'
          ? (await sql<{ detail: string }>`explain query plan ${query}`.execute(trx)).rows.map(
              (r) => r.detail,
            )
          : (await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(trx)).rows.map(
              (r) => r['QUERY PLAN'],
            );
      });
      expect(plan.join('\n')).toContain(index);
      expect(plan.join('\n')).not.toMatch(/TEMP B-TREE|Sort Key/);
    }
  });

  it.runIf(dialect === 'postgres')(
    'finds free text through incidents_text_trgm_idx (PostgreSQL)',
    async () => {
      const db = ctx.services.database.db;
      const plan = await db.transaction().execute(async (trx) => {
        // 400 rows are few enough to read whole: the question is whether the index can serve.
        await sql`set local enable_seqscan = off`.execute(trx);
        const query = sql`select incidents.id from incidents where ${ctx.services.database.dialect.containsText(TEXT_SEARCH_COLUMNS, '%zzzz%')}`;
        return (await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(trx)).rows.map(
          (r) => r['QUERY PLAN'],
        );
      });
      expect(plan.join('\n')).toContain('incidents_text_trgm_idx');
    },
  );
});
