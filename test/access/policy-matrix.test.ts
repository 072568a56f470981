import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tlp } from '../../src/domain/tlp.js';
import { TLP_LEVELS } from '../../src/domain/tlp.js';
import type { Role } from '../../src/access/index.js';
import { ROLES } from '../../src/access/index.js';
import type { TestUser } from '../support/api.js';
import { as, makeUser, testApp } from '../support/api.js';
import type { TestContext } from '../support/databases.js';
import { describeEachDialect, testServices } from '../support/databases.js';
import { wholeState } from '../support/state.js';

/**
 * Every route of the OpenAPI document (and every registered route) x every role x every relation to
 * the record's owner x every TLP marking x every lifecycle state, against a specification written
 * out here (not derived from the access module it checks). A route added without a line in SPEC
 * fails the test. Every refusal must leave the whole database (every row of every table) as it was.
 */
const RELATIONS = ['own', 'same_sector', 'other_sector'] as const;
type Relation = (typeof RELATIONS)[number];
const ORG_OF: Record<Relation, { org: string; sector: string }> = {
  own: { org: 'Alpha Power', sector: 'electricity' },
  same_sector: { org: 'Beta Power', sector: 'electricity' },
  other_sector: { org: 'Gamma Bank', sector: 'finance' },
};

/**
 * The record's lifecycle state, a dimension of every record case: received, rejected, withdrawn,
 * and closed (received, with its final report filed).
 */
const STATES = ['received', 'rejected', 'withdrawn', 'closed'] as const;
type State = (typeof STATES)[number];
let finals = 0;
/** Puts a received record into `state` as the center would (and back again after a case moved it). */
async function putInState(app: FastifyInstance, center: TestUser, id: number, state: State): Promise<void> {
  if (state === 'received') return;
  const res =
    state === 'closed'
      ? await as(app, center).post(`/api/v1/incidents/${id}/reports`, {
          // Before every stage report the cases send (2023-10-06), so that those come after the final.
          stage: 'final',
          received_at: `2023-10-05T09:${String(Math.floor(++finals / 60) % 60).padStart(2, '0')}:${String(finals % 60).padStart(2, '0')}+09:00`,
          description: `final ${finals}`,
          event: 'integrity.destruction',
          causes: ['accidental.vulnerability'],
          attack_type: 'ransomware',
        })
      : await as(app, center).post(
          `/api/v1/incidents/${id}/${state === 'rejected' ? 'reject' : 'withdraw'}`,
          state === 'rejected' ? { reason: 'duplicate' } : { note: 'the reporter asked' },
        );
  expect(res.statusCode, res.body).toBeLessThan(300);
}
const shelved = (state: State) => state === 'rejected' || state === 'withdrawn';

/** Who may read Alpha Power's electricity operator report marked `tlp`: TLP 2.0 as kyoyu reads it. */
function mayRead(role: Role, rel: Relation, tlp: Tlp, state: State): boolean {
  if (role === 'center_analyst') return true;
  if (rel === 'own') return true;
  // Rejected and withdrawn records stay with the center and their owner.
  if (shelved(state)) return false;
  if (tlp === 'CLEAR' || tlp === 'GREEN') return true;
  if (role === 'admin') return tlp !== 'RED';
  return role === 'sector_desk' && rel === 'same_sector' && tlp === 'AMBER';
}
const mayWrite = (role: Role, rel: Relation) =>
  role === 'center_analyst' || role === 'admin' || (role === 'operator' && rel === 'own');
const center = (role: Role) => role === 'center_analyst' || role === 'admin';

interface Case {
  role: Role;
  rel: Relation;
  tlp: Tlp;
  state: State;
  user: TestUser;
  id: number;
}
type Expect = (c: Case) => number | number[];

const stage = (n: number) => ({
  stage: 'update',
  received_at: `2023-10-06T${String(n % 24).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00+09:00`,
  description: `update ${n}`,
  event: 'integrity.destruction',
  causes: ['accidental.vulnerability'],
  attack_type: 'ransomware',
});
const classification = { event: 'integrity.destruction', causes: ['other.unknown'], attack_type: null };
const share = { received_at: '2023-07-20T10:00:00+09:00', title: 'advisory', body: '...' };
let counter = 0;
/** The user the admin routes act on (not one of the callers). */
let target = 0;
let targetToken = 0;
const adminOnly = (ok: number | number[]) => (c: Case) => (c.role === 'admin' ? ok : 403);

/** A lifecycle decision; one that succeeds is undone at once, so the record keeps its case's state. */
async function decideAndUndo(
  app: FastifyInstance,
  c: Case,
  action: 'reject' | 'withdraw' | 'restore' | 'reopen',
  body: object,
): Promise<LightMyRequestResponse> {
  const res = await as(app, c.user).post(`/api/v1/incidents/${c.id}/${action}`, body);
  if (res.statusCode === 200) {
    if (action === 'reject' || action === 'withdraw') {
      const back = await as(app, c.user).post(`/api/v1/incidents/${c.id}/restore`, {});
      expect(back.statusCode, back.body).toBe(200);
    } else await putInState(app, c.user, c.id, c.state);
  }
  return res;
}
/** What the center analyst gets from a lifecycle decision on a record in `state`. */
const decision = (c: Case, applies: readonly State[]) =>
  c.role !== 'center_analyst' ? 403 : applies.includes(c.state) ? 200 : 409;

/** What each route must answer; `send` makes the request for one case. */
const SPEC: Record<
  string,
  { expect: Expect; send: (app: FastifyInstance, c: Case) => Promise<LightMyRequestResponse> }
> = {
  'GET /api/v1/incidents/:id': {
    // 298: read, but the answer's `actions` (what the UI offers) are not what the caller may do.
    expect: (c) => (mayRead(c.role, c.rel, c.tlp, c.state) ? 200 : 404),
    send: async (app, c) => {
      const res = await as(app, c.user).get(`/api/v1/incidents/${c.id}`);
      if (res.statusCode !== 200) return res;
      const may = [
        ...(c.role !== 'sector_desk' && mayWrite(c.role, c.rel) && c.state === 'received'
          ? ['add_report']
          : []),
        ...(center(c.role) ? ['classify'] : []),
        ...(c.role === 'center_analyst' ? ['change_state'] : []),
      ];
      const actions = res.json<{ actions: string[] }>().actions;
      return { ...res, statusCode: JSON.stringify(actions) === JSON.stringify(may) ? 200 : 298 };
    },
  },
  'POST /api/v1/incidents/:id/reports': {
    // A role that may never add reports is refused before any lookup: 403 for every id, so it
    // tells nothing about which exist.
    expect: (c) =>
      c.role === 'sector_desk'
        ? 403
        : !mayRead(c.role, c.rel, c.tlp, c.state)
          ? 404
          : !mayWrite(c.role, c.rel)
            ? 403
            : c.state === 'received'
              ? [200, 201]
              : 409,
    send: (app, c) => as(app, c.user).post(`/api/v1/incidents/${c.id}/reports`, stage(++counter)),
  },
  'PUT /api/v1/incidents/:id/classification': {
    expect: (c) => (!center(c.role) ? 403 : mayRead(c.role, c.rel, c.tlp, c.state) ? 200 : 404),
    send: (app, c) => as(app, c.user).put(`/api/v1/incidents/${c.id}/classification`, classification),
  },
  'DELETE /api/v1/incidents/:id/classification': {
    expect: (c) => (!center(c.role) ? 403 : mayRead(c.role, c.rel, c.tlp, c.state) ? 200 : 404),
    send: (app, c) => as(app, c.user).delete(`/api/v1/incidents/${c.id}/classification`),
  },
  // The lifecycle is the center's analysts' alone; a role without it is refused before any lookup
  // (403 for every id). A rejection or withdrawal that succeeds is restored at once, so that the
  // records keep counting and taking reports for the other routes' cases.
  'POST /api/v1/incidents/:id/reject': {
    expect: (c) => decision(c, ['received', 'closed']),
    send: (app, c) => decideAndUndo(app, c, 'reject', { reason: 'test', note: 'matrix' }),
  },
  'POST /api/v1/incidents/:id/withdraw': {
    expect: (c) => decision(c, ['received', 'closed']),
    send: (app, c) => decideAndUndo(app, c, 'withdraw', { note: 'asked by the reporter' }),
  },
  'POST /api/v1/incidents/:id/restore': {
    expect: (c) => decision(c, ['rejected', 'withdrawn']),
    send: (app, c) => decideAndUndo(app, c, 'restore', {}),
  },
  'POST /api/v1/incidents/:id/reopen': {
    expect: (c) => decision(c, ['closed']),
    send: (app, c) => decideAndUndo(app, c, 'reopen', {}),
  },
  'GET /api/v1/incidents': {
    // Listed exactly when readable: the list answers 200 either way, with or without the record.
    // The list shows received records by default (rejected and withdrawn ones on request).
    expect: (c) => (mayRead(c.role, c.rel, c.tlp, c.state) && !shelved(c.state) ? 200 : 299),
    send: async (app, c) => {
      const res = await as(app, c.user).get('/api/v1/incidents?limit=100');
      const listed = res.json<{ items: Array<{ id: number }> }>().items.some((i) => i.id === c.id);
      return {
        ...res,
        statusCode: res.statusCode === 200 && !listed ? 299 : res.statusCode,
      };
    },
  },
  'POST /api/v1/incidents': {
    expect: (c) => (c.role === 'sector_desk' ? 403 : 201),
    send: (app, c) =>
      as(app, c.user).post('/api/v1/incidents', {
        channel: 'operator_report',
        received_at: '2023-10-05T08:00:00+09:00',
        organization: c.user.organization,
        sector: ORG_OF[c.rel].sector,
        title: `matrix ${++counter}`,
        description: 'x',
        stage: 'initial',
        event: 'integrity.destruction',
        causes: ['accidental.vulnerability'],
        attack_type: null,
      }),
  },
  'POST /api/v1/agency-shares': {
    expect: (c) => (c.role === 'operator' ? 403 : 201),
    send: (app, c) => as(app, c.user).post('/api/v1/agency-shares', { ...share, title: `s${++counter}` }),
  },
  'POST /api/v1/center-provisions': {
    expect: (c) => (center(c.role) ? 201 : 403),
    send: (app, c) => as(app, c.user).post('/api/v1/center-provisions', { ...share, title: `p${++counter}` }),
  },
  'GET /api/v1/audit': {
    expect: (c) => (c.role === 'admin' ? 200 : 403),
    send: (app, c) => as(app, c.user).get('/api/v1/audit'),
  },
  'GET /api/v1/admin/organizations': {
    expect: adminOnly(200),
    send: (app, c) => as(app, c.user).get('/api/v1/admin/organizations'),
  },
  'GET /api/v1/admin/users': {
    expect: adminOnly(200),
    send: (app, c) => as(app, c.user).get('/api/v1/admin/users'),
  },
  'POST /api/v1/admin/users': {
    expect: adminOnly(201),
    send: (app, c) =>
      as(app, c.user).post('/api/v1/admin/users', {
        email: `new${++counter}@matrix.example`,
        organization: 'New Org',
        role: 'operator',
      }),
  },
  'POST /api/v1/admin/users/:id/password-reset': {
    expect: adminOnly(200),
    send: (app, c) => as(app, c.user).post(`/api/v1/admin/users/${target}/password-reset`, {}),
  },
  'POST /api/v1/admin/users/:id/mfa-reset': {
    expect: adminOnly(204),
    send: (app, c) => as(app, c.user).post(`/api/v1/admin/users/${target}/mfa-reset`, {}),
  },
  'POST /api/v1/admin/users/:id/unlock': {
    expect: adminOnly(204),
    send: (app, c) => as(app, c.user).post(`/api/v1/admin/users/${target}/unlock`, {}),
  },
  'PUT /api/v1/admin/users/:id/disabled': {
    expect: adminOnly(204),
    send: (app, c) => as(app, c.user).put(`/api/v1/admin/users/${target}/disabled`, { disabled: false }),
  },
  'GET /api/v1/admin/users/:id/tokens': {
    expect: adminOnly(200),
    send: (app, c) => as(app, c.user).get(`/api/v1/admin/users/${target}/tokens`),
  },
  'PUT /api/v1/admin/users/:id/role': {
    // To a role outside the center: at once (to center or admin it waits for a second admin).
    expect: adminOnly(204),
    send: (app, c) => as(app, c.user).put(`/api/v1/admin/users/${target}/role`, { role: 'operator' }),
  },
  'GET /api/v1/admin/approvals': {
    expect: adminOnly(200),
    send: (app, c) => as(app, c.user).get('/api/v1/admin/approvals'),
  },
  'POST /api/v1/admin/approvals/:id/approve': {
    expect: adminOnly(404),
    send: (app, c) => as(app, c.user).post('/api/v1/admin/approvals/999999/approve', {}),
  },
  'POST /api/v1/admin/approvals/:id/reject': {
    expect: adminOnly(404),
    send: (app, c) => as(app, c.user).post('/api/v1/admin/approvals/999999/reject', {}),
  },
  // Every user's own tokens: listed by anyone, issued only from a signed-in session (a token
  // mints no tokens), someone else's id answers like a missing one.
  'GET /api/v1/me/tokens': { expect: () => 200, send: (app, c) => as(app, c.user).get('/api/v1/me/tokens') },
  'POST /api/v1/me/tokens': {
    expect: () => 401,
    send: (app, c) => as(app, c.user).post('/api/v1/me/tokens', { label: 'matrix' }),
  },
  'DELETE /api/v1/me/tokens/:id': {
    expect: () => 404,
    send: (app, c) => as(app, c.user).delete(`/api/v1/me/tokens/${targetToken}`),
  },
  'DELETE /api/v1/admin/users/:id/tokens/:tokenId': {
    // The first admin call revokes the token; later ones find none left to revoke.
    expect: adminOnly([204, 404]),
    send: (app, c) => as(app, c.user).delete(`/api/v1/admin/users/${target}/tokens/${targetToken}`),
  },
  'GET /api/v1/me': { expect: () => 200, send: (app, c) => as(app, c.user).get('/api/v1/me') },
  'GET /api/v1/taxonomy': { expect: () => 200, send: (app, c) => as(app, c.user).get('/api/v1/taxonomy') },
  'GET /api/v1/stats/info-sharing': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/stats/info-sharing?fy=2023'),
  },
  'GET /api/v1/stats/sectors': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/stats/sectors?fy=2023'),
  },
  // Period closing is the center's: everyone else (admins too) is refused before anything happens.
  // The quarters asked for are in the future (close: not ended) or never closed (reopen, late
  // filings), so that a center call changes nothing for the later cases.
  'GET /api/v1/periods': {
    expect: (c) => (c.role === 'center_analyst' ? 200 : 403),
    send: (app, c) => as(app, c.user).get('/api/v1/periods?fy=2023'),
  },
  'POST /api/v1/periods/:fy/:quarter/close': {
    expect: (c) => (c.role === 'center_analyst' ? 409 : 403),
    send: (app, c) => as(app, c.user).post('/api/v1/periods/9000/1/close', {}),
  },
  'POST /api/v1/periods/:fy/:quarter/reopen': {
    expect: (c) => (c.role === 'center_analyst' ? 409 : 403),
    send: (app, c) => as(app, c.user).post('/api/v1/periods/2023/1/reopen', {}),
  },
  'GET /api/v1/periods/:fy/:quarter/late-filings': {
    expect: (c) => (c.role === 'center_analyst' ? 409 : 403),
    send: (app, c) => as(app, c.user).get('/api/v1/periods/2023/1/late-filings'),
  },
  'GET /api/v1/auth/session': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/auth/session'),
  },
  // Session-only routes: an API token is no session, whatever its role.
  'POST /api/v1/auth/mfa': {
    expect: () => 401,
    send: (app, c) => as(app, c.user).post('/api/v1/auth/mfa', { code: '123456' }),
  },
  'POST /api/v1/auth/totp/setup': {
    expect: () => 401,
    send: (app, c) => as(app, c.user).post('/api/v1/auth/totp/setup', { password: 'x'.repeat(12) }),
  },
  'POST /api/v1/auth/totp/remove': {
    expect: () => 401,
    send: (app, c) => as(app, c.user).post('/api/v1/auth/totp/remove', { password: 'x'.repeat(12) }),
  },
  'POST /api/v1/auth/totp/enable': {
    expect: () => 401,
    send: (app, c) => as(app, c.user).post('/api/v1/auth/totp/enable', { code: '123456' }),
  },
  'POST /api/v1/auth/password': {
    expect: () => 401,
    send: (app, c) =>
      as(app, c.user).post('/api/v1/auth/password', {
        current_password: 'x'.repeat(12),
        new_password: 'y'.repeat(12),
      }),
  },
  'POST /api/v1/auth/logout': {
    expect: () => 204,
    send: (app, c) => as(app, c.user).post('/api/v1/auth/logout', {}),
  },
  // Public: answers the same to everyone (here a wrong password).
  'POST /api/v1/auth/login': {
    expect: () => 401,
    send: (app, c) =>
      as(app, c.user).post('/api/v1/auth/login', { email: c.user.email, password: 'wrong password!' }),
  },
  'GET /api/v1/health': { expect: () => 200, send: (app, c) => as(app, c.user).get('/api/v1/health') },
  'GET /api/v1/openapi.json': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/openapi.json'),
  },
  'GET /': { expect: () => 200, send: (app, c) => as(app, c.user).get('/') },
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
    target = await ctx.services.accounts.userIdOf(targetUser.email);
    const tokenRow = await ctx.services.database.db
      .selectFrom('api_tokens')
      .select('id')
      .where('user_id', '=', target)
      .executeTakeFirstOrThrow();
    targetToken = tokenRow.id;
    const creator = users.get('center_analyst/own')!;
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
      const perRecord = route.includes('/incidents/:id') || route === 'GET /api/v1/incidents';
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
    // About 2,600 requests with a whole-database digest around each refusal: 25-60 s per dialect.
  }, 300_000);

  it('a record hidden by its marking answers exactly like a missing one', async () => {
    const outsider = users.get('operator/other_sector')!;
    const hidden = await as(app, outsider).get(`/api/v1/incidents/${incidents.get('AMBER/received')}`);
    const missing = await as(app, outsider).get('/api/v1/incidents/999999');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json<{ error: unknown }>().error).toEqual(missing.json<{ error: unknown }>().error);
  });
});
