import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Services } from '../../src/services.js';
import type { TestUser } from '../support/api.js';
import { as } from '../support/api.js';
import type { Case, RouteSpec } from './policy-cases.js';
import { matrix } from './policy-cases.js';

/**
 * The advisories' routes, per role and relation, about one advisory the center (Alpha Power's
 * analyst, so Alpha Power is its author's organisation) addressed at AMBER to the electricity
 * sector and to Beta Power by name. Who reads it, written out: the center and admins, its author's
 * organisation, Beta Power's users, the electricity desks; not Gamma Bank. Who responds: the
 * recipient organisation's operators and desks (Beta Power), never the center nor the author.
 */
export const advisory = { id: 0 };

const content = (n: number) => ({
  title: { ja: `注意喚起 ${n}` },
  body: { ja: '本文' },
  cves: ['CVE-2024-3400'],
  indicators: [{ type: 'ipv4', value: '198.51.100.1' }],
});
const audience = (beta: number) => ({ everyone: false, sectors: ['electricity'], organizations: [beta] });
let beta = 0;

/** Files the matrix's advisory (from the matrix's beforeAll). */
export async function setupAdvisories(app: FastifyInstance, services: Services, creator: TestUser) {
  const row = await services.database.db
    .selectFrom('organizations')
    .select('id')
    .where('name', '=', 'Beta Power')
    .executeTakeFirstOrThrow();
  beta = row.id;
  const res = await as(app, creator).post('/api/v1/advisories', {
    kind: 'advisory',
    tlp: 'AMBER',
    severity: 'high',
    audience: audience(beta),
    content: content(0),
  });
  expect(res.statusCode, res.body).toBe(201);
  advisory.id = res.json<{ id: number }>().id;
}

const reads = (c: Case) =>
  c.role === 'center_analyst' ||
  c.role === 'admin' ||
  c.rel === 'own' ||
  (c.rel === 'same_sector' && (c.role === 'operator' || c.role === 'sector_desk'));
const read = (ok: number) => (c: Case) => (reads(c) ? ok : 404);
const centerOnly = (ok: number) => (c: Case) => (c.role === 'center_analyst' ? ok : 403);

export const ADVISORY_ROUTES: Record<string, RouteSpec> = {
  'POST /api/v1/advisories': {
    expect: centerOnly(201),
    send: (app, c) =>
      as(app, c.user).post('/api/v1/advisories', {
        kind: 'advisory',
        tlp: 'AMBER',
        severity: 'low',
        audience: audience(beta),
        content: content(++matrix.counter),
      }),
  },
  'GET /api/v1/advisories': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/advisories'),
  },
  'GET /api/v1/advisories/:id': {
    expect: read(200),
    send: (app, c) => as(app, c.user).get(`/api/v1/advisories/${advisory.id}`),
  },
  'PUT /api/v1/advisories/:id': {
    expect: (c) => (!reads(c) ? 404 : c.role === 'center_analyst' ? 200 : 403),
    send: (app, c) =>
      as(app, c.user).put(`/api/v1/advisories/${advisory.id}`, {
        tlp: 'AMBER',
        severity: 'high',
        audience: audience(beta),
        content: content(++matrix.counter),
      }),
  },
  'GET /api/v1/advisories/:id/revisions': {
    expect: read(200),
    send: (app, c) => as(app, c.user).get(`/api/v1/advisories/${advisory.id}/revisions`),
  },
  'PUT /api/v1/advisories/:id/receipt': {
    expect: (c) =>
      c.role === 'center_analyst' || c.role === 'admin' ? 403 : !reads(c) ? 404 : c.rel === 'own' ? 403 : 200,
    send: (app, c) => as(app, c.user).put(`/api/v1/advisories/${advisory.id}/receipt`, { read: true }),
  },
  'GET /api/v1/advisories/recipients': {
    expect: centerOnly(200),
    send: (app, c) => as(app, c.user).get('/api/v1/advisories/recipients'),
  },
  'GET /api/v1/advisories/:id/follow-up': {
    expect: centerOnly(200),
    send: (app, c) => as(app, c.user).get(`/api/v1/advisories/${advisory.id}/follow-up`),
  },
  'POST /api/v1/advisories/:id/reminders': {
    expect: centerOnly(200),
    send: (app, c) =>
      as(app, c.user).post(`/api/v1/advisories/${advisory.id}/reminders`, { to: 'unacknowledged' }),
  },
};
