import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { wholeState } from '../../support/state.js';

/** Part 1's items: candidates from RSS/Atom feeds served locally and from the center's advisories, edited and accepted. */

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example CERT</title>
<item><title>Critical VPN flaw CVE-2024-21887 exploited</title><link>https://cert.example.org/a/1</link>
<pubDate>Thu, 29 Feb 2024 15:30:00 GMT</pubDate><description>&lt;p&gt;Patch &lt;b&gt;now&lt;/b&gt;.&lt;/p&gt;</description></item>
<item><title>Ransomware at a hospital</title><link>https://cert.example.org/a/2</link>
<pubDate>Mon, 15 Jan 2024 01:00:00 GMT</pubDate><description>Hospital systems down.</description></item>
<item><title>No date here</title><link>https://cert.example.org/a/3</link></item>
</channel></rss>`;
const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Agency</title>
<entry><title>Advisory on state actors</title><link rel="alternate" href="https://agency.example.gov/adv/9"/>
<updated>2024-02-07T12:00:00Z</updated><summary>Actors keep access to networks.</summary></entry>
<entry><title>The same hospital story</title><link href="https://cert.example.org/a/2/"/>
<published>2024-01-15T02:00:00Z</published></entry>
</feed>`;
const RDF = `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://jp.example/"><title>注意喚起（例）</title></channel>
<item rdf:about="https://jp.example/at/2024/0001.html"><title>VPN製品の脆弱性に関する注意喚起</title>
<link>https://jp.example/at/2024/0001.html</link><dc:date>2024-01-11T10:00+09:00</dc:date><description>緩和策を適用してください。</description></item>
</rdf:RDF>`;

describeEachDialect('situational items on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let operator: TestUser;
  let base = '';
  const server = createServer((req, res) => {
    const body = { '/rss': RSS, '/atom': ATOM, '/rdf': RDF, '/html': '<html><body>not a feed</body></html>' }[
      req.url ?? ''
    ];
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/xml' }).end(body ?? 'missing');
  });

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'National Center');
    operator = await makeUser(ctx.services, 'operator', 'Alpha Power', ['electricity']);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await app?.close();
    await ctx?.close();
  });

  const pull = async (path: string) => {
    const feed = await as(app, center).post('/api/v1/situation/feeds', { name: path, url: `${base}${path}` });
    expect(feed.statusCode, feed.body).toBe(201);
    return as(app, center).post(`/api/v1/situation/feeds/${feed.json<{ id: number }>().id}/pull`, {});
  };
  const items = async (fy: number, quarter: number) =>
    (await as(app, center).get(`/api/v1/situation/items?fy=${fy}&quarter=${quarter}`)).json<
      Array<{
        id: number;
        title: { ja: string };
        event_date: string;
        state: string;
        revision: number;
        sources: Array<{ url: string; publisher: string }>;
        tags: { cves: string[] };
      }>
    >();

  it('pulls RSS 2.0, Atom and RSS 1.0 feeds into candidates, once per URL, dated in the deployment’s time zone', async () => {
    const rss = await pull('/rss');
    expect(rss.json()).toEqual({ added: 2, known: 0, outside: 1 });
    const atom = await pull('/atom');
    // The hospital story's URL is known (a trailing slash does not make it another).
    expect(atom.json()).toEqual({ added: 1, known: 1, outside: 0 });
    expect((await pull('/rdf')).json()).toEqual({ added: 1, known: 0, outside: 0 });
    const q4 = await items(2023, 4);
    // 2024-02-29 15:30 UTC is 2024-03-01 in Tokyo: still Q4; the leap day is not lost.
    const vpn = q4.find((i) => i.title.ja.startsWith('Critical VPN'))!;
    expect(vpn).toMatchObject({
      event_date: '2024-03-01',
      state: 'candidate',
      tags: { cves: ['CVE-2024-21887'] },
    });
    expect(vpn.sources[0]).toMatchObject({ publisher: 'Example CERT', url: 'https://cert.example.org/a/1' });
    expect(q4.map((i) => i.title.ja).sort()).toEqual(
      [
        'Advisory on state actors',
        'Critical VPN flaw CVE-2024-21887 exploited',
        'Ransomware at a hospital',
        'VPN製品の脆弱性に関する注意喚起',
      ].sort(),
    );
    // A second pull adds nothing.
    const again = await as(app, center).post('/api/v1/situation/feeds/1/pull', {});
    expect(again.json()).toMatchObject({ added: 0 });
  });

  it('refuses what is not a feed, or a feed that is not there, changing nothing', async () => {
    for (const path of ['/html', '/missing']) {
      const feed = await as(app, center).post('/api/v1/situation/feeds', {
        name: path,
        url: `${base}${path}`,
      });
      const before = await wholeState(ctx.services);
      const res = await as(app, center).post(
        `/api/v1/situation/feeds/${feed.json<{ id: number }>().id}/pull`,
        {},
      );
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ error: { code: 'feed_unreadable' } });
      expect(await wholeState(ctx.services)).toEqual(before);
    }
  });

  it('an analyst edits and accepts a candidate under If-Match; a stale ETag is refused and changes nothing', async () => {
    const [candidate] = await items(2023, 4);
    const got = await as(app, center).get(`/api/v1/situation/items/${candidate!.id}`);
    const etag = got.headers.etag as string;
    const body = {
      section: 'technology_trends',
      event_date: candidate!.event_date,
      title: { ja: '編集した見出し', en: 'Edited heading' },
      summary: { ja: '編集した概要。', en: 'Edited summary.' },
      tlp: 'CLEAR',
      sources: candidate!.sources.map((s) => ({ ...s })),
      state: 'accepted',
    };
    const ok = await as(app, center).put(`/api/v1/situation/items/${candidate!.id}`, body, {
      'if-match': etag,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'accepted', section: 'technology_trends', revision: 2 });
    const before = await wholeState(ctx.services);
    const stale = await as(app, center).put(
      `/api/v1/situation/items/${candidate!.id}`,
      { ...body, state: 'dismissed' },
      { 'if-match': etag },
    );
    expect(stale.statusCode).toBe(412);
    expect(await wholeState(ctx.services)).toEqual(before);
  });

  it('validates an item: a date that does not exist, a source without a URL', async () => {
    const before = await wholeState(ctx.services);
    const bad = await as(app, center).post('/api/v1/situation/items', {
      section: 'domestic_other',
      event_date: '2023-02-29',
      title: { ja: 'x' },
      summary: { ja: 'y' },
      sources: [
        {
          publisher: 'p',
          title: 't',
          published_on: '2023-02-28',
          url: 'javascript:alert(1)',
          accessed_on: '2023-03-01',
        },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect(await wholeState(ctx.services)).toEqual(before);
  });

  it('proposes the center’s TLP:CLEAR advisories of the quarter as candidates, once', async () => {
    const adv = (tlp: string, title: string) =>
      as(app, center).post('/api/v1/advisories', {
        kind: 'advisory',
        tlp,
        severity: 'high',
        audience: { everyone: true, sectors: [], organizations: [] },
        content: { title: { ja: title }, body: { ja: '本文' } },
        received_at: '2024-02-10T10:00:00+09:00',
      });
    expect((await adv('CLEAR', '公開の注意喚起')).statusCode).toBe(201);
    expect((await adv('AMBER', '限定の注意喚起')).statusCode).toBe(201);
    const first = await as(app, center).post('/api/v1/situation/candidates/advisories?fy=2023&quarter=4', {});
    expect(first.json()).toEqual({ added: 1, known: 0, outside: 0 });
    const second = await as(app, center).post(
      '/api/v1/situation/candidates/advisories?fy=2023&quarter=4',
      {},
    );
    expect(second.json()).toEqual({ added: 0, known: 1, outside: 0 });
    const titles = (await items(2023, 4)).map((i) => i.title.ja);
    expect(titles).toContain('公開の注意喚起');
    expect(titles).not.toContain('限定の注意喚起');
  });

  it('is the center’s: an operator is refused every route and changes nothing', async () => {
    const before = await wholeState(ctx.services);
    for (const res of [
      await as(app, operator).get('/api/v1/situation/items?fy=2023&quarter=4'),
      await as(app, operator).get('/api/v1/situation/items/1'),
      await as(app, operator).get('/api/v1/situation/items/999999'),
      await as(app, operator).post('/api/v1/situation/feeds', { name: 'x', url: `${base}/rss` }),
      await as(app, operator).post('/api/v1/situation/feeds/1/pull', {}),
    ])
      expect(res.statusCode).toBe(403);
    expect(await wholeState(ctx.services)).toEqual(before);
  });
});
