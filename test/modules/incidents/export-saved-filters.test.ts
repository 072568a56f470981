import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXPORT_BATCH } from '../../../src/modules/incidents/incident.listing.js';
import type { IncidentView } from '../../../src/modules/incidents/incident.view.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { wholeState } from '../../support/state.js';

/** A CSV body's lines, without the BOM and the header, each split into its fields (none quoted here). */
const csvRows = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .slice(1, -1);

describeEachDialect('the CSV export and saved filters on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let operator: TestUser;
  const dir = mkdtempSync(join(tmpdir(), 'kyoyu-export-'));
  // More than one export batch, so that the export pages on as the list does.
  const COUNT = EXPORT_BATCH + 37;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Export Center');
    operator = await makeUser(ctx.services, 'operator', 'Export Power');
    const lines = Array.from({ length: COUNT }, (_, i) =>
      JSON.stringify({
        ref: `E-${i}`,
        channel: 'operator_report',
        received_at: new Date(Date.UTC(2024, 4, 1) + Math.floor(i / 3) * 3_600_000).toISOString(),
        organization: i % 4 === 0 ? 'Export Power' : 'Export Gas',
        sector: i % 4 === 0 ? 'electricity' : 'gas',
        title: i === 7 ? '=HYPERLINK("http://evil.example")' : `exported, "quoted" ${i}`,
        description: 'line one\nline two',
        stage: 'initial',
        event: 'integrity.destruction',
        causes: ['accidental.vulnerability'],
        attack_type: null,
        // Every third is AMBER: an operator of another organisation does not see it.
        tlp: i % 3 === 0 ? 'AMBER' : 'GREEN',
        ...(i === 7 ? { occurred_at: '2024-04-30T20:00:00Z', detected_at: '2024-04-30T22:00:00Z' } : {}),
      }),
    );
    const file = join(dir, 'export.jsonl');
    writeFileSync(file, lines.join('\n'));
    await ctx.services.imports.importFile(file);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function listed(user: TestUser, query: string): Promise<IncidentView[]> {
    const items: IncidentView[] = [];
    let cursor = '';
    for (;;) {
      const res = await as(app, user).get(`/api/v1/incidents?limit=200${query}${cursor}`);
      const page = res.json<{ items: IncidentView[]; next_cursor: string | null }>();
      items.push(...page.items);
      if (!page.next_cursor) return items;
      cursor = `&cursor=${page.next_cursor}`;
    }
  }

  it.each([
    ['the center, everything', 'center', ''],
    ['an operator, everything it may see', 'operator', ''],
    ['an operator, gas by sector', 'operator', '&sector=gas&sort=stage&order=asc'],
    ['an operator, its own', 'operator', '&mine=true'],
  ] as const)('exports exactly the rows of the list: %s', async (_, who, query) => {
    const user = who === 'center' ? center : operator;
    const res = await as(app, user).get(`/api/v1/incidents.csv?lang=en${query}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body.startsWith('\uFEFFid,ref,channel,channel_label,')).toBe(true);
    // Lines are split where a record ends: the descriptions' line breaks stay inside quotes.
    const ids = csvRows(res.body.replace(/"[^"]*(?:""[^"]*)*"/g, 'Q')).map((line) =>
      Number(line.split(',')[0]),
    );
    const expected = await listed(user, query);
    expect(ids).toEqual(expected.map((i) => i.id));
    if (who === 'center' && query === '') expect(ids).toHaveLength(COUNT);
    if (who === 'operator' && query === '') expect(ids.length).toBeLessThan(COUNT);
  });

  it('writes fields a spreadsheet reads literally, with labels in the asked language', async () => {
    const res = await as(app, center).get('/api/v1/incidents.csv?q=E-7&lang=ja');
    const body = res.body;
    expect(body).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(body).toContain('"line one\nline two"');
    expect(body).toContain('電力');
    const en = await as(app, center).get('/api/v1/incidents.csv?q=E-7', { 'accept-language': 'en' });
    expect(en.body).toContain(',electricity,Electric power,');
    // The occurred and detected times, in columns of their own.
    const header = en.body
      .replace(/^\uFEFF/, '')
      .split('\r\n')[0]!
      .split(',');
    const fields = (ref: string) =>
      csvRows(en.body)
        .find((l) => l.includes(`,${ref},`))!
        .split(',');
    const at = (row: string[], column: string) => row[header.indexOf(column)];
    expect([at(fields('E-7'), 'occurred_at'), at(fields('E-7'), 'detected_at')]).toEqual([
      '2024-04-30T20:00:00.000Z',
      '2024-04-30T22:00:00.000Z',
    ]);
  });

  it('refuses what the list refuses, changing nothing; records an export', async () => {
    for (const [query, status] of [
      ['state=rejected', 403],
      ['sector=atlantis', 400],
      ['limit=5', 400],
      ['quarter=2', 400],
    ] as const) {
      const before = await wholeState(ctx.services);
      const res = await as(app, operator).get(`/api/v1/incidents.csv?${query}`);
      expect(res.statusCode, query).toBe(status);
      expect(await wholeState(ctx.services)).toEqual(before);
    }
    await as(app, operator).get('/api/v1/incidents.csv?sector=gas');
    const entry = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'incidents.export')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details!)).toEqual({ filter: { sector: 'gas' } });
  });

  it('keeps each user its own saved filters, audited; another user cannot see or delete them', async () => {
    const other = await makeUser(ctx.services, 'operator', 'Export Gas');
    const made = await as(app, operator).post('/api/v1/saved-filters', {
      name: ' My gas ',
      filter: { sector: 'gas', sort: 'stage', order: 'asc', mine: 'false', fy: '2024' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const saved = made.json<{ id: number; name: string; filter: Record<string, string> }>();
    expect(saved.name).toBe('My gas');
    expect(saved.filter).toEqual({ sector: 'gas', sort: 'stage', order: 'asc', mine: 'false', fy: '2024' });
    expect((await as(app, operator).get('/api/v1/saved-filters')).json()).toEqual([saved]);
    expect((await as(app, other).get('/api/v1/saved-filters')).json()).toEqual([]);

    const refusals: Array<[TestUser, 'post' | 'delete', string, object | undefined, number]> = [
      [other, 'delete', `/api/v1/saved-filters/${saved.id}`, undefined, 404],
      [operator, 'delete', '/api/v1/saved-filters/999999', undefined, 404],
      [operator, 'post', '/api/v1/saved-filters', { name: 'My gas', filter: {} }, 409],
      [operator, 'post', '/api/v1/saved-filters', { name: 'x', filter: { sector: 'atlantis' } }, 400],
      [operator, 'post', '/api/v1/saved-filters', { name: 'x', filter: { limit: 5 } }, 400],
      [operator, 'post', '/api/v1/saved-filters', { name: ' ', filter: {} }, 400],
      [operator, 'post', '/api/v1/saved-filters', { name: 'x', filter: { state: 'rejected' } }, 403],
      [operator, 'post', '/api/v1/saved-filters', { name: 'x', filter: { quarter: 1 } }, 400],
    ];
    const readOnly = {
      ...operator,
      token: await ctx.services.accounts.createToken(operator.email, { scopes: ['read'] }),
    };
    refusals.push([readOnly, 'post', '/api/v1/saved-filters', { name: 'ro', filter: {} }, 403]);
    for (const [user, method, url, body, status] of refusals) {
      const before = await wholeState(ctx.services);
      const res = method === 'post' ? await as(app, user).post(url, body) : await as(app, user).delete(url);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)}: ${res.body}`).toBe(status);
      expect(await wholeState(ctx.services)).toEqual(before);
    }

    expect((await as(app, operator).delete(`/api/v1/saved-filters/${saved.id}`)).statusCode).toBe(204);
    expect((await as(app, operator).get('/api/v1/saved-filters')).json()).toEqual([]);
    const trail = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id', 'actor'])
      .where('object_type', '=', 'saved_filter')
      .orderBy('id')
      .execute();
    expect(trail).toEqual([
      { action: 'saved_filter.create', object_id: String(saved.id), actor: operator.email },
      { action: 'saved_filter.delete', object_id: String(saved.id), actor: operator.email },
    ]);
  });
});
