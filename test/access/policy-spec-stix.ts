import { as } from '../support/api.js';
import type { RouteSpec } from './policy-cases.js';
import { matrix, mayRead } from './policy-cases.js';

/** A small valid bundle, new each time (so every successful import stores one object). */
const bundle = () => {
  const n = String(++matrix.counter).padStart(12, '0');
  return {
    type: 'bundle',
    id: `bundle--6a1f0c8e-4b2d-4c3e-9f10-${n}`,
    objects: [
      {
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--0d6b2c1a-7e3f-4a5b-8c9d-${n}`,
        created: '2024-05-01T00:00:00.000Z',
        modified: '2024-05-01T00:00:00.000Z',
        pattern: "[ipv4-addr:value = '198.51.100.7']",
        pattern_type: 'stix',
        valid_from: '2024-05-01T00:00:00.000Z',
      },
    ],
  };
};
const centerAnalyst = (ok: number) => (c: { role: string }) => (c.role === 'center_analyst' ? ok : 403);

/**
 * STIX 2.1 routes, per case: an incident's bundle is read as the incident is (unseen: 404, exactly
 * as missing); incoming intelligence is the center analysts' alone.
 */
export const STIX_ROUTES: Record<string, RouteSpec> = {
  'GET /api/v1/incidents/:id/stix': {
    expect: (c) => (mayRead(c.role, c.rel, c.tlp, c.state) ? 200 : 404),
    send: (app, c) => as(app, c.user).get(`/api/v1/incidents/${c.id}/stix`),
  },
  'POST /api/v1/intel/bundles': {
    expect: centerAnalyst(200),
    send: (app, c) => as(app, c.user).post('/api/v1/intel/bundles', bundle()),
  },
  'GET /api/v1/intel': {
    expect: centerAnalyst(200),
    send: (app, c) => as(app, c.user).get('/api/v1/intel?state=new'),
  },
  'PUT /api/v1/intel/:id': {
    // No such object: the center is told so, everyone else is refused before the lookup.
    expect: centerAnalyst(404),
    send: (app, c) => as(app, c.user).put('/api/v1/intel/999999', { triage_state: 'accepted' }),
  },
};
