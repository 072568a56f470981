import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliWho } from '../../../src/modules/audit/index.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { file } from '../../support/periods.js';
import { wholeState } from '../../support/state.js';

/**
 * Lessons learned: draft -> in review -> approved -> published; the author never approves; the
 * anonymity check stops approval while the text names a linked incident's organisation (by name,
 * alias, host...), saying what and where; every refusal changes nothing.
 */
describeEachDialect('lessons learned on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let author: TestUser;
  let reviewer: TestUser;
  let operator: TestUser;
  let incident = 0;
  let lesson = 0;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    author = await makeUser(ctx.services, 'center_analyst', 'National Center');
    reviewer = await makeUser(ctx.services, 'center_analyst', 'National Center');
    operator = await makeUser(ctx.services, 'operator', 'Alpha Power', ['electricity']);
    incident = await file(app, operator, '2024-02-10T10:00:00+09:00', {
      causes: ['accidental.vulnerability'],
      attack_type: 'ransomware',
      event: 'integrity.destruction',
    });
    await file(app, operator, '2024-02-11T10:00:00+09:00', {
      causes: ['accidental.vulnerability', 'intentional.ddos'],
      attack_type: 'ransomware',
    });
    await file(app, operator, '2024-03-31T14:59:59Z', { causes: ['intentional.ddos'], attack_type: 'ddos' });
    const alpha = await ctx.services.database.db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', 'Alpha Power')
      .executeTakeFirstOrThrow();
    await ctx.services.database.db
      .insertInto('organization_identifiers')
      .values([
        { organization_id: alpha.id, kind: 'alias', value: 'アルファ電力' },
        { organization_id: alpha.id, kind: 'host', value: 'vpn.alpha-power.example' },
      ])
      .execute();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const body = (text: string) => ({
    fiscal_year: 2023,
    quarter: 4,
    heading: { ja: 'VPN機器の更新の遅れ', en: 'Late VPN updates' },
    body: { ja: text, en: 'Fixes were published but not applied in time.' },
    incident_ids: [incident],
  });
  const act = (user: TestUser, action: string) =>
    as(app, user).post(`/api/v1/lessons/${lesson}/transitions`, { action });
  const refused = async (
    send: () => Promise<{ statusCode: number; json: () => unknown }>,
    status: number,
    code: string,
  ) => {
    const before = await wholeState(ctx.services);
    const res = await send();
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error: { code } });
    expect(await wholeState(ctx.services)).toEqual(before);
    return res;
  };

  it('shows what the anonymity check finds while the author writes', async () => {
    const res = await as(app, author).post(
      '/api/v1/lessons',
      body('アルファ電力では、vpn.alpha-power.example の更新が遅れた。'),
    );
    expect(res.statusCode, res.body).toBe(201);
    lesson = res.json<{ id: number }>().id;
    expect(res.json()).toMatchObject({
      state: 'draft',
      findings: [
        { kind: 'alias', text: 'アルファ電力', field: 'body_ja', offset: 0, line: 1, owner: 'Alpha Power' },
        { kind: 'host', text: 'vpn.alpha-power.example', field: 'body_ja', line: 1 },
      ],
    });
  });

  it('the author may not approve; the check stops another analyst’s approval; nothing changes', async () => {
    expect((await act(author, 'submit')).json()).toMatchObject({ state: 'in_review' });
    await refused(() => act(author, 'approve'), 403, 'lesson_own_approval');
    const stopped = await refused(() => act(reviewer, 'approve'), 422, 'lesson_not_anonymous');
    expect(stopped.json()).toMatchObject({
      error: { details: { findings: [{ kind: 'alias' }, { kind: 'host' }] } },
    });
    // In review the text is not edited: it goes back to draft first.
    await refused(
      () => as(app, author).put(`/api/v1/lessons/${lesson}`, body('書き直し')),
      409,
      'lesson_state',
    );
  });

  it('returned, rewritten and approved by the other analyst, then published once its quarter is closed', async () => {
    expect((await act(reviewer, 'return')).json()).toMatchObject({ state: 'draft' });
    const etag = (await as(app, author).get(`/api/v1/lessons/${lesson}`)).headers.etag as string;
    const edited = await as(app, author).put(
      `/api/v1/lessons/${lesson}`,
      body('修正プログラムの公開から適用までに時間を要した事例があった。'),
      { 'if-match': etag },
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ findings: [] });
    await act(author, 'submit');
    const approved = (await act(reviewer, 'approve')).json<{ state: string; approved_by: number | null }>();
    expect(approved.state).toBe('approved');
    expect(approved.approved_by).not.toBeNull();
    // FY2023 Q4 is open until the center closes it.
    await refused(() => act(reviewer, 'publish'), 409, 'quarter_not_published');
    await ctx.services.periods.close(cliWho('test'), 2023, 4);
    const published = (await act(reviewer, 'publish')).json<{ state: string; published_at: string | null }>();
    expect(published.state).toBe('published');
    expect(published.published_at).not.toBeNull();
    await refused(() => act(reviewer, 'return'), 409, 'lesson_state');
    await refused(
      () => as(app, author).put(`/api/v1/lessons/${lesson}`, body('後から変える')),
      409,
      'lesson_state',
    );
  });

  it('refuses links to incidents that do not exist, changing nothing', async () => {
    await refused(
      () => as(app, author).post('/api/v1/lessons', { ...body('本文'), incident_ids: [999999] }),
      400,
      'validation_failed',
    );
  });

  it('lists the quarter’s operator reports by cause and attack type as lesson candidates', async () => {
    const res = await as(app, author).get('/api/v1/lessons/candidates?fy=2023&quarter=4');
    expect(res.statusCode, res.body).toBe(200);
    const { incidents, groups } = res.json<{
      incidents: number;
      groups: Array<{ cause: string; attack_type: string; count: number; incidents: unknown[] }>;
    }>();
    expect(incidents).toBe(3);
    expect(groups.map((g) => [g.cause, g.attack_type, g.count])).toEqual([
      ['accidental.vulnerability', 'ransomware', 2],
      ['intentional.ddos', 'ddos', 1],
      ['intentional.ddos', 'ransomware', 1],
    ]);
    expect(groups[0]!.incidents).toHaveLength(2);
  });

  it('is the center’s: operators are refused and nothing changes', async () => {
    await refused(() => as(app, operator).get('/api/v1/lessons?fy=2023&quarter=4'), 403, 'forbidden');
    await refused(() => as(app, operator).get(`/api/v1/lessons/${lesson}`), 403, 'forbidden');
    await refused(() => as(app, operator).post('/api/v1/lessons', body('本文')), 403, 'forbidden');
    await refused(
      () => as(app, operator).post(`/api/v1/lessons/${lesson}/transitions`, { action: 'return' }),
      403,
      'forbidden',
    );
  });
});
