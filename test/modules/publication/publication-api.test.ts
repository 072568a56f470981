import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDemo } from '../../../src/demo/demo.js';
import { DEMO_ORGANIZATIONS } from '../../../src/demo/organizations.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { cli } from '../../support/cli.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { xlsxToCsv } from '../../support/libreoffice.js';
import { pageTexts, squeeze } from '../../support/pdf.js';
import { wholeState } from '../../support/state.js';

/** The quarterly document from the web application and the command line, on the demo database. */
const NOW = new Date('2026-12-01T03:00:00Z');
const URL = '/api/v1/publication/quarterly?fy=2023&quarter=4';

describeEachDialect('the quarterly document over HTTP and the CLI on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let operator: TestUser;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    await loadDemo(ctx.services, { now: NOW });
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', '国家サイバー統括室');
    operator = await makeUser(ctx.services, 'operator', '東雲電力株式会社', ['electricity']);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('anyone signed in downloads the public edition as PDF; it holds the three parts', async () => {
    const res = await as(app, operator).get(`${URL}&format=pdf&edition=public&lang=ja`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="kyoyu-fy2023-q4-public-ja.pdf"');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = squeeze(pageTexts(res.rawPayload).join(''));
    for (const part of [
      'サイバーセキュリティを取り巻く情勢',
      '重要インフラにおける情報共有件数',
      '最近のインシデントから得られた教訓',
    ])
      expect(text).toContain(part);
  });

  it('the public edition names no operator and holds no TLP:AMBER item; the full edition is the center’s', async () => {
    const publicHtml = (await as(app, operator).get(`${URL}&format=html&edition=public`)).body;
    const fullHtml = (await as(app, center).get(`${URL}&format=html&edition=full`)).body;
    for (const org of DEMO_ORGANIZATIONS) expect(publicHtml).not.toContain(org.name.replace(/株式会社/, ''));
    expect(fullHtml).toContain('（センター内部）');
    expect(publicHtml).not.toContain('（センター内部）');
    expect(publicHtml).toContain('VPN機器の脆弱性が侵入口となった事例が続いている');
    // Footnotes: each note once, linked from its citations; the Volt Typhoon advisory cited twice under one number.
    const notes = [...publicHtml.matchAll(/<li id="note-(\d+)"/g)].map((m) => Number(m[1]));
    expect(notes).toEqual(notes.map((_, i) => i + 1));
    const volt = /<li id="note-(\d+)"[^>]*>CISA「PRC State-Sponsored/.exec(publicHtml)!;
    expect([...publicHtml.matchAll(new RegExp(`href="#note-${volt[1]}"`, 'g'))]).toHaveLength(2);
  });

  it('refuses the full edition outside the center, a public edition of an open quarter, and no sign-in, changing nothing', async () => {
    const before = await wholeState(ctx.services);
    const full = await as(app, operator).get(`${URL}&edition=full`);
    expect(full.statusCode).toBe(403);
    const running = ctx.services.calendar.periodOf(NOW);
    const open = await as(app, center).get(
      `/api/v1/publication/quarterly?fy=${running.fiscalYear}&quarter=${running.quarter}&edition=public`,
    );
    expect(open.statusCode).toBe(409);
    expect(open.json()).toMatchObject({ error: { code: 'quarter_not_published' } });
    expect((await as(app, null).get(URL)).statusCode).toBe(401);
    const bad = await as(app, center).get(`${URL}&format=docx`);
    expect(bad.statusCode).toBe(400);
    expect(await wholeState(ctx.services)).toEqual(before);
  });

  it('the statistics as XLSX open in LibreOffice, with the public edition’s suppression marks', async () => {
    const res = await as(app, operator).get(`${URL}&format=xlsx&edition=public`);
    expect(res.statusCode).toBe(200);
    const csv = xlsxToCsv(res.rawPayload);
    expect(csv).toContain('重要インフラにおける情報共有件数');
    expect(csv).toMatch(/269,309,407,302,99,53,63,57,272/);
    expect(csv).toContain('≤2');
  }, 120_000);

  it('kyoyu publish writes each format and edition; bad options are refused', async () => {
    if (dialect !== 'sqlite') return;
    const dir = mkdtempSync(join(tmpdir(), 'kyoyu-publish-'));
    try {
      for (const [format, edition, lang] of [
        ['pdf', 'full', 'en'],
        ['html', 'public', 'ja'],
        ['xlsx', 'public', 'ja'],
      ] as const) {
        const out = join(dir, `doc.${format}`);
        const run = await cli(
          ctx.url,
          'publish',
          '--fy',
          '2023',
          '--quarter',
          '4',
          '--format',
          format,
          '--edition',
          edition,
          '--lang',
          lang,
          '--out',
          out,
        );
        expect(run.code, run.err).toBe(0);
        const bytes = readFileSync(out);
        if (format === 'pdf') expect(squeeze(pageTexts(bytes)[0]!)).toContain('FY2023Q4');
        if (format === 'html') expect(bytes.toString()).toContain('<html lang="ja">');
        if (format === 'xlsx') expect(bytes.subarray(0, 2).toString()).toBe('PK');
      }
      // A feed in a file: the command line may read one (the API only fetches http(s) URLs).
      const feed = join(dir, 'feed.xml');
      writeFileSync(
        feed,
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local CERT</title><item><title>Leap-day advisory</title>' +
          '<link>https://local-cert.example/leap</link><pubDate>Thu, 29 Feb 2024 03:00:00 GMT</pubDate></item></channel></rss>',
      );
      const pulled = await cli(ctx.url, 'situation', 'pull', feed, '--section', 'technology_trends');
      expect(pulled.code, pulled.err).toBe(0);
      expect(pulled.out).toBe('1 new candidates, 0 already known, 0 without a date or link\n');
      const again = await cli(ctx.url, 'situation', 'pull', feed);
      expect(again.out).toBe('0 new candidates, 1 already known, 0 without a date or link\n');
      const candidate = await ctx.services.database.db
        .selectFrom('situation_items')
        .select(['event_date', 'fiscal_year', 'quarter', 'section', 'state'])
        .where('origin_url', '=', 'https://local-cert.example/leap')
        .executeTakeFirstOrThrow();
      expect(candidate).toEqual({
        event_date: '2024-02-29',
        fiscal_year: 2023,
        quarter: 4,
        section: 'technology_trends',
        state: 'candidate',
      });
      const bad = await cli(
        ctx.url,
        'publish',
        '--fy',
        '2023',
        '--quarter',
        '5',
        '--out',
        join(dir, 'x.pdf'),
      );
      expect(bad.code).not.toBe(0);
      expect(bad.err).toContain('--quarter must be 1-4');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
