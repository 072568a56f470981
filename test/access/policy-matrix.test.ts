import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TLP_LEVELS } from '../../src/domain/tlp.js';
import { ROLES } from '../../src/access/index.js';
import type { TestUser } from '../support/api.js';
import { as, makeUser, testApp } from '../support/api.js';
import type { TestContext } from '../support/databases.js';
import { describeEachDialect, testServices } from '../support/databases.js';
import { wholeState } from '../support/state.js';
import type { Case } from './policy-cases.js';
import { ORG_OF, RELATIONS, STATES, matrix, putInState } from './policy-cases.js';
import { INCIDENT_ROUTES } from './policy-spec-incidents.js';
import { OTHER_ROUTES } from './policy-spec-others.js';
import { CONVERSATION_ROUTES } from './policy-spec-conversations.js';
import { STIX_ROUTES } from './policy-spec-stix.js';
import { INDICATOR_ROUTES } from './policy-spec-indicators.js';
import { ADVISORY_ROUTES, setupAdvisories } from './policy-spec-advisories.js';
import { TAXII_ROUTES } from './policy-spec-taxii.js';
import { PUBLICATION_ROUTES, setupPublication } from './policy-spec-publication.js';
import { OBLIGATION_ROUTES } from './policy-spec-obligations.js';

/**
 * Every route of the OpenAPI document (and every registered route) x every role x every relation to
 * the record's owner x every TLP marking x every lifecycle state, against a specification written
 * out here (not derived from the access module it checks). A route added without a line in SPEC
 * fails the test. Every refusal must leave the whole database (every row of every table) as it was.
 */
const SPEC = {
  ...INCIDENT_ROUTES,
  ...OTHER_ROUTES,
  ...CONVERSATION_ROUTES,
  ...STIX_ROUTES,
  ...INDICATOR_ROUTES,
  ...ADVISORY_ROUTES,
  ...TAXII_ROUTES,
  ...PUBLICATION_ROUTES,
  ...OBLIGATION_ROUTES,
};

/** Answers that refuse: after each, the database must be exactly as before. */
const REFUSALS = new Set([400, 401, 403, 404, 409, 412]);
/** A failed sign-in is recorded by design (the audit trail, the lockout counter): not a no-op. */
const RECORDED_REFUSALS = new Set(['POST /api/v1/auth/login']);

/** The routes of the OpenAPI document, as `METHOD /path/:param`. */
function openApiRoutes(document: { paths?: Record<string, Record<string, unknown>> }): string[] {
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => methods.includes(m))
      .map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`),
  );
}

describeEachDialect('the role x relation x TLP x state matrix on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const users = new Map<string, TestUser>();
  const incidents = new Map<string, number>();

  beforeAll(async () => {
    ctx = await testServices(dialect, { KYOYU_LOGIN_ATTEMPTS_PER_10_MINUTES: '100000' });
    app = await testApp(ctx.services);
    for (const role of ROLES) {
      for (const rel of RELATIONS) {
        const { org, sector } = ORG_OF[rel];
        users.set(
          `${role}/${rel}`,
          await makeUser(ctx.services, role, org, role === 'sector_desk' ? [sector] : undefined),
        );
      }
    }
    const targetUser = await makeUser(ctx.services, 'operator', 'Target Co');
    matrix.target = await ctx.services.accounts.userIdOf(targetUser.email);
    const tokenRow = await ctx.services.database.db
      .selectFrom('api_tokens')
      .select('id')
      .where('user_id', '=', matrix.target)
      .executeTakeFirstOrThrow();
    matrix.targetToken = tokenRow.id;
    const saved = await as(app, targetUser).post('/api/v1/saved-filters', {
      name: 'mine',
      filter: { mine: 'true' },
    });
    expect(saved.statusCode, saved.body).toBe(201);
    matrix.targetFilter = saved.json<{ id: number }>().id;
    const creator = users.get('center_analyst/own')!;
    await setupAdvisories(app, ctx.services, creator);
    await setupPublication(app, creator);
    for (const tlp of TLP_LEVELS)
      for (const state of STATES) {
        const res = await as(app, creator).post('/api/v1/incidents', {
          ref: `M-${tlp}-${state}`,
          channel: 'operator_report',
          received_at: '2023-10-05T08:00:00+09:00',
          organization: 'Alpha Power',
          sector: 'electricity',
          title: `marked ${tlp}`,
          description: 'matrix target',
          stage: 'initial',
          event: 'integrity.destruction',
          causes: ['accidental.vulnerability'],
          attack_type: 'ransomware',
          tlp,
        });
        expect(res.statusCode, res.body).toBe(201);
        expect(res.json<{ tlp: string }>().tlp).toBe(tlp);
        const id = res.json<{ id: number }>().id;
        await putInState(app, creator, id, state);
        incidents.set(`${tlp}/${state}`, id);
      }
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('every route answers as specified for every role, relation and marking', async () => {
    const documented = openApiRoutes(app.swagger() as { paths?: Record<string, Record<string, unknown>> });
    expect(documented.length).toBeGreaterThan(20);
    const registered = app.registeredRoutes
      .filter((r) => !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url}`);
    const routes = [...new Set([...documented, ...registered])].sort();
    expect(
      routes.filter((r) => !(r in SPEC)),
      'routes missing from the matrix',
    ).toEqual([]);
    const failures: string[] = [];
    let cases = 0;
    let refusals = 0;
    for (const route of routes) {
      const spec = SPEC[route]!;
      const perRecord =
        route.includes('/incidents/:id') ||
        route === 'GET /api/v1/incidents' ||
        route === 'GET /api/v1/incidents.csv';
      for (const role of ROLES) {
        for (const rel of RELATIONS) {
          for (const tlp of perRecord ? TLP_LEVELS : (['AMBER'] as const)) {
            for (const state of perRecord ? STATES : (['received'] as const)) {
              const user = users.get(`${role}/${rel}`)!;
              const c: Case = { role, rel, tlp, state, user, id: incidents.get(`${tlp}/${state}`)! };
              const expected = [spec.expect(c)].flat();
              const refusal =
                expected.every((status) => REFUSALS.has(status)) && !RECORDED_REFUSALS.has(route);
              const before = refusal ? await wholeState(ctx.services) : undefined;
              const res = await spec.send(app, c);
              cases++;
              const what = `${route} as ${role}/${rel} on ${tlp}/${state}`;
              if (!expected.includes(res.statusCode))
                failures.push(`${what}: ${res.statusCode}, expected ${expected.join('|')}`);
              if (before) {
                refusals++;
                const after = await wholeState(ctx.services);
                const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
                if (changed.length > 0) failures.push(`${what}: refused, yet changed ${changed.join(', ')}`);
              }
            }
          }
        }
      }
    }
    console.log(
      `policy matrix (${dialect}): ${cases} cases (${refusals} refusals with the whole database compared) over ${routes.length} routes x ${ROLES.length} roles x ${RELATIONS.length} relations (x ${TLP_LEVELS.length} markings x ${STATES.length} states on record routes)`,
    );
    expect(failures).toEqual([]);
    // Thousands of requests with a whole-database digest around each refusal: 25-60 s per dialect
    // on a quiet machine, five times that when the machine is shared.
  }, 600_000);

  it('a record hidden by its marking answers exactly like a missing one', async () => {
    const outsider = users.get('operator/other_sector')!;
    const hidden = await as(app, outsider).get(`/api/v1/incidents/${incidents.get('AMBER/received')}`);
    const missing = await as(app, outsider).get('/api/v1/incidents/999999');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json<{ error: unknown }>().error).toEqual(missing.json<{ error: unknown }>().error);
  });
});
