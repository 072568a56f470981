import { as } from '../support/api.js';
import type { RouteSpec } from './policy-cases.js';
import { adminOnly, matrix } from './policy-cases.js';

/** What every other route (audit, admin, own tokens, statistics, periods, sign-in, system) must answer, per case. */
export const OTHER_ROUTES: Record<string, RouteSpec> = {
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
        email: `new${++matrix.counter}@matrix.example`,
        organization: 'New Org',
        role: 'operator',
      }),
  },
  'POST /api/v1/admin/users/:id/password-reset': {
    expect: adminOnly(200),
    send: (app, c) => as(app, c.user).post(`/api/v1/admin/users/${matrix.target}/password-reset`, {}),
  },
  'POST /api/v1/admin/users/:id/mfa-reset': {
    expect: adminOnly(204),
    send: (app, c) => as(app, c.user).post(`/api/v1/admin/users/${matrix.target}/mfa-reset`, {}),
  },
  'POST /api/v1/admin/users/:id/unlock': {
    expect: adminOnly(204),
    send: (app, c) => as(app, c.user).post(`/api/v1/admin/users/${matrix.target}/unlock`, {}),
  },
  'PUT /api/v1/admin/users/:id/disabled': {
    expect: adminOnly(204),
    send: (app, c) =>
      as(app, c.user).put(`/api/v1/admin/users/${matrix.target}/disabled`, { disabled: false }),
  },
  'GET /api/v1/admin/users/:id/tokens': {
    expect: adminOnly(200),
    send: (app, c) => as(app, c.user).get(`/api/v1/admin/users/${matrix.target}/tokens`),
  },
  'PUT /api/v1/admin/users/:id/role': {
    // To a role outside the center: at once (to center or admin it waits for a second admin).
    expect: adminOnly(204),
    send: (app, c) => as(app, c.user).put(`/api/v1/admin/users/${matrix.target}/role`, { role: 'operator' }),
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
    send: (app, c) => as(app, c.user).delete(`/api/v1/me/tokens/${matrix.targetToken}`),
  },
  'DELETE /api/v1/admin/users/:id/tokens/:tokenId': {
    // The first admin call revokes the token; later ones find none left to revoke.
    expect: adminOnly([204, 404]),
    send: (app, c) =>
      as(app, c.user).delete(`/api/v1/admin/users/${matrix.target}/tokens/${matrix.targetToken}`),
  },
  'GET /api/v1/me': { expect: () => 200, send: (app, c) => as(app, c.user).get('/api/v1/me') },
  'GET /api/v1/taxonomy': { expect: () => 200, send: (app, c) => as(app, c.user).get('/api/v1/taxonomy') },
  'GET /api/v1/stats/info-sharing': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/stats/info-sharing?fy=2023'),
  },
  'GET /api/v1/stats/years': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/stats/years'),
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
