import { as } from '../support/api.js';
import type { Case, RouteSpec } from './policy-cases.js';
import { matrix, mayRead, mayWrite } from './policy-cases.js';

/**
 * Indicators on reports: those who read the record read its indicators and what its text offers;
 * those who report on it (the owner's users, the center) adopt, in any state. A role that may never
 * write (a sector desk) is refused before any lookup: 403 for every id.
 */
const reading = (c: Case) => (mayRead(c.role, c.rel, c.tlp, c.state) ? 200 : 404);

export const INDICATOR_ROUTES: Record<string, RouteSpec> = {
  'GET /api/v1/incidents/:id/indicators': {
    expect: reading,
    send: (app, c) => as(app, c.user).get(`/api/v1/incidents/${c.id}/indicators`),
  },
  'GET /api/v1/incidents/:id/indicators/suggested': {
    expect: reading,
    send: (app, c) => as(app, c.user).get(`/api/v1/incidents/${c.id}/indicators/suggested`),
  },
  'POST /api/v1/incidents/:id/indicators': {
    expect: (c) =>
      c.role === 'sector_desk'
        ? 403
        : !mayRead(c.role, c.rel, c.tlp, c.state)
          ? 404
          : mayWrite(c.role, c.rel)
            ? 200
            : 403,
    send: (app, c) =>
      as(app, c.user).post(`/api/v1/incidents/${c.id}/indicators`, {
        indicators: [{ type: 'ipv4', value: `192.0.2.${++matrix.counter % 256}` }],
      }),
  },
};
