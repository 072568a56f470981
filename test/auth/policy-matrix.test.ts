import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Tlp } from '../../src/domain/tlp.js';
import { TLP_LEVELS } from '../../src/domain/tlp.js';
import type { Role } from '../../src/modules/auth/policy.js';
import { ROLES } from '../../src/modules/auth/policy.js';
import type { TestUser } from '../helpers/api.js';
import { as, makeUser, testApp } from '../helpers/api.js';
import type { TestContext } from '../helpers/databases.js';
import { describeEachDialect, testServices } from '../helpers/databases.js';

/**
 * Every route x every role x every relation to the record's owner x every TLP marking, against a
 * specification written out here (not derived from the policy module it checks). A route added
 * without a line in SPEC fails the test.
 */
const RELATIONS = ['own', 'same_sector', 'other_sector'] as const;
type Relation = (typeof RELATIONS)[number];
const ORG_OF: Record<Relation, { org: string; sector: string }> = {
  own: { org: 'Alpha Power', sector: 'electricity' },
  same_sector: { org: 'Beta Power', sector: 'electricity' },
  other_sector: { org: 'Gamma Bank', sector: 'finance' },
};

/** Who may read Alpha Power's electricity operator report marked `tlp`: TLP 2.0 as kyoyu reads it. */
function mayRead(role: Role, rel: Relation, tlp: Tlp): boolean {
  if (role === 'center_analyst') return true;
  if (rel === 'own') return true;
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

/** What each route must answer; `send` makes the request for one case. */
const SPEC: Record<
  string,
  { expect: Expect; send: (app: FastifyInstance, c: Case) => Promise<LightMyRequestResponse> }
> = {
  'GET /api/v1/incidents/:id': {
    expect: (c) => (mayRead(c.role, c.rel, c.tlp) ? 200 : 404),
    send: (app, c) => as(app, c.user).get(`/api/v1/incidents/${c.id}`),
  },
  'POST /api/v1/incidents/:id/reports': {
    // A role that may never add reports is refused before any lookup: 403 for every id, so it
    // tells nothing about which exist.
    expect: (c) =>
      c.role === 'sector_desk'
        ? 403
        : !mayRead(c.role, c.rel, c.tlp)
          ? 404
          : mayWrite(c.role, c.rel)
            ? [200, 201]
            : 403,
    send: (app, c) => as(app, c.user).post(`/api/v1/incidents/${c.id}/reports`, stage(++counter)),
  },
  'PUT /api/v1/incidents/:id/classification': {
    expect: (c) => (!center(c.role) ? 403 : mayRead(c.role, c.rel, c.tlp) ? 200 : 404),
    send: (app, c) => as(app, c.user).put(`/api/v1/incidents/${c.id}/classification`, classification),
  },
  'DELETE /api/v1/incidents/:id/classification': {
    expect: (c) => (!center(c.role) ? 403 : mayRead(c.role, c.rel, c.tlp) ? 200 : 404),
    send: (app, c) => as(app, c.user).delete(`/api/v1/incidents/${c.id}/classification`),
  },
  'GET /api/v1/incidents': {
    // Listed exactly when readable: the list answers 200 either way, with or without the record.
    expect: (c) => (mayRead(c.role, c.rel, c.tlp) ? 200 : 299),
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
  'POST /api/v1/admin/users/:id/tokens': {
    expect: adminOnly(201),
    send: (app, c) => as(app, c.user).post(`/api/v1/admin/users/${target}/tokens`, { label: 'matrix' }),
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
    send: (app, c) => as(app, c.user).post('/api/v1/auth/totp/setup', {}),
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

describeEachDialect('the role x relation x TLP matrix on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const users = new Map<string, TestUser>();
  const incidents = new Map<Tlp, number>();

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
    for (const tlp of TLP_LEVELS) {
      const res = await as(app, creator).post('/api/v1/incidents', {
        ref: `M-${tlp}`,
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
      incidents.set(tlp, res.json<{ id: number }>().id);
    }
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('every route answers as specified for every role, relation and marking', async () => {
    const routes = app.registeredRoutes
      .filter((r) => !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url}`);
    expect(
      routes.filter((r) => !(r in SPEC)),
      'routes missing from the matrix',
    ).toEqual([]);
    const failures: string[] = [];
    let cases = 0;
    for (const route of routes) {
      const spec = SPEC[route]!;
      const perRecord = route.includes('/incidents/:id') || route === 'GET /api/v1/incidents';
      for (const role of ROLES) {
        for (const rel of RELATIONS) {
          for (const tlp of perRecord ? TLP_LEVELS : (['AMBER'] as const)) {
            const c: Case = { role, rel, tlp, user: users.get(`${role}/${rel}`)!, id: incidents.get(tlp)! };
            const expected = [spec.expect(c)].flat();
            const res = await spec.send(app, c);
            cases++;
            if (!expected.includes(res.statusCode)) {
              failures.push(
                `${route} as ${role}/${rel} on ${tlp}: ${res.statusCode}, expected ${expected.join('|')}`,
              );
            }
          }
        }
      }
    }
    console.log(
      `policy matrix (${dialect}): ${cases} cases over ${routes.length} routes x ${ROLES.length} roles x ${RELATIONS.length} relations (x ${TLP_LEVELS.length} markings on record routes)`,
    );
    expect(failures).toEqual([]);
  });

  it('a record hidden by its marking answers exactly like a missing one', async () => {
    const outsider = users.get('operator/other_sector')!;
    const hidden = await as(app, outsider).get(`/api/v1/incidents/${incidents.get('AMBER')}`);
    const missing = await as(app, outsider).get('/api/v1/incidents/999999');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json<{ error: unknown }>().error).toEqual(missing.json<{ error: unknown }>().error);
  });
});
