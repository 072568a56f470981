import { as } from '../support/api.js';
import type { RouteSpec } from './policy-cases.js';
import { adminOnly, mayRead, reporterWrite } from './policy-cases.js';

/**
 * Reporting duties (issue 15): read as the incident is; written by its reporter's organisation or
 * the center (sector desks hold no incidents:write), not on a rejected or withdrawn record. A
 * stage's form goes to the reporter's own organisation, to others only with its consent (the
 * matrix never gives it). Regimes are everyone's to read and the admins' to change.
 */
const writes = reporterWrite;

export const OBLIGATION_ROUTES: Record<string, RouteSpec> = {
  'GET /api/v1/incidents/:id/obligations': {
    expect: (c) => (mayRead(c.role, c.rel, c.tlp, c.state) ? 200 : 404),
    send: (app, c) => as(app, c.user).get(`/api/v1/incidents/${c.id}/obligations`),
  },
  'PUT /api/v1/incidents/:id/obligations/facts': {
    expect: writes,
    send: (app, c) =>
      as(app, c.user).put(`/api/v1/incidents/${c.id}/obligations/facts`, { facts: ['cyber_attack'] }),
  },
  'PUT /api/v1/incidents/:id/obligations/:code': {
    expect: writes,
    send: (app, c) =>
      as(app, c.user).put(`/api/v1/incidents/${c.id}/obligations/jp-electricity`, { status: 'confirmed' }),
  },
  'PUT /api/v1/incidents/:id/obligations/:code/stages/:stage': {
    expect: writes,
    // Confirmed first by the same caller (refused alike where the stage is), then the stage.
    send: async (app, c) => {
      await as(app, c.user).put(`/api/v1/incidents/${c.id}/obligations/jp-electricity`, {
        status: 'confirmed',
      });
      return as(app, c.user).put(`/api/v1/incidents/${c.id}/obligations/jp-electricity/stages/preliminary`, {
        state: 'submitted',
        submitted_at: '2023-10-05T10:00:00+09:00',
        reference: 'R-1',
      });
    },
  },
  'GET /api/v1/incidents/:id/obligations/:code/stages/:stage/export': {
    expect: (c) => (!mayRead(c.role, c.rel, c.tlp, c.state) ? 404 : c.rel === 'own' ? 200 : 403),
    send: (app, c) =>
      as(app, c.user).get(
        `/api/v1/incidents/${c.id}/obligations/jp-electricity/stages/preliminary/export?format=json`,
      ),
  },
  'GET /api/v1/obligations/preview': {
    expect: (c) => (c.role === 'sector_desk' ? 403 : 200),
    send: (app, c) =>
      as(app, c.user).get('/api/v1/obligations/preview?sector=electricity&facts=cyber_attack'),
  },
  'GET /api/v1/obligations/deadlines': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/obligations/deadlines'),
  },
  'GET /api/v1/regimes': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/regimes'),
  },
  'PUT /api/v1/regimes/:code/versions/:version': {
    // An admin's invalid version is refused as such; nobody else gets that far.
    expect: adminOnly(400),
    send: (app, c) => as(app, c.user).put('/api/v1/regimes/jp-gas/versions/1', { code: 'jp-gas' }),
  },
  'DELETE /api/v1/regimes/:code/versions/:version': {
    expect: adminOnly(404),
    send: (app, c) => as(app, c.user).delete('/api/v1/regimes/jp-gas/versions/1'),
  },
  'GET /api/v1/organizations/:id/flags': {
    expect: adminOnly(200),
    send: (app, c) => as(app, c.user).get('/api/v1/organizations/1/flags'),
  },
  'PUT /api/v1/organizations/:id/flags': {
    expect: adminOnly(200),
    send: (app, c) => as(app, c.user).put('/api/v1/organizations/1/flags', { flags: [] }),
  },
};
