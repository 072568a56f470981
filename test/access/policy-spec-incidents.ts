import { as } from '../support/api.js';
import { mayConverse } from './policy-spec-conversations.js';
import { matrix } from './policy-cases.js';
import type { RouteSpec } from './policy-cases.js';
import {
  ORG_OF,
  center,
  classification,
  decideAndUndo,
  decision,
  mayRead,
  mayWrite,
  reporterWrite,
  share,
  shelved,
  stage,
} from './policy-cases.js';

/** What the incident, share and provision routes must answer, per case. */
export const INCIDENT_ROUTES: Record<string, RouteSpec> = {
  // The timeline: read as the incident is; given by its reporter's organisation or the center
  // (sector desks hold no incidents:write), not on a rejected or withdrawn record.
  'GET /api/v1/incidents/:id/times': {
    expect: (c) => (mayRead(c.role, c.rel, c.tlp, c.state) ? 200 : 404),
    send: (app, c) => as(app, c.user).get(`/api/v1/incidents/${c.id}/times`),
  },
  'PUT /api/v1/incidents/:id/times': {
    expect: reporterWrite,
    send: (app, c) =>
      as(app, c.user).put(`/api/v1/incidents/${c.id}/times`, { restored_at: '2023-10-07T10:00:00+09:00' }),
  },
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
        // Its participants are offered the conversation (the others' GET of it is a 403).
        ...(mayConverse(c.role, c.rel, c.tlp, c.state) ? ['read_conversation'] : []),
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
    send: (app, c) => as(app, c.user).post(`/api/v1/incidents/${c.id}/reports`, stage(++matrix.counter)),
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
  'GET /api/v1/incidents.csv': {
    // The export holds exactly what the list would: the record's line is there when it is readable.
    expect: (c) => (mayRead(c.role, c.rel, c.tlp, c.state) && !shelved(c.state) ? 200 : 299),
    send: async (app, c) => {
      const res = await as(app, c.user).get('/api/v1/incidents.csv');
      const listed = res.body.includes(`\r\n${c.id},`);
      return { ...res, statusCode: res.statusCode === 200 && !listed ? 299 : res.statusCode };
    },
  },
  // Every user keeps its own saved filters; someone else's id answers like a missing one.
  'GET /api/v1/saved-filters': {
    expect: () => 200,
    send: async (app, c) => {
      const res = await as(app, c.user).get('/api/v1/saved-filters');
      const leaked = res.json<Array<{ id: number }>>().some((f) => f.id === matrix.targetFilter);
      return { ...res, statusCode: leaked ? 297 : res.statusCode };
    },
  },
  'POST /api/v1/saved-filters': {
    expect: () => 201,
    send: (app, c) =>
      as(app, c.user).post('/api/v1/saved-filters', {
        name: `matrix ${++matrix.counter}`,
        filter: { channel: 'operator_report', sort: 'sector' },
      }),
  },
  'DELETE /api/v1/saved-filters/:id': {
    expect: () => 404,
    send: (app, c) => as(app, c.user).delete(`/api/v1/saved-filters/${matrix.targetFilter}`),
  },
  'POST /api/v1/incidents': {
    expect: (c) => (c.role === 'sector_desk' ? 403 : 201),
    send: (app, c) =>
      as(app, c.user).post('/api/v1/incidents', {
        channel: 'operator_report',
        received_at: '2023-10-05T08:00:00+09:00',
        organization: c.user.organization,
        sector: ORG_OF[c.rel].sector,
        title: `matrix ${++matrix.counter}`,
        description: 'x',
        stage: 'initial',
        event: 'integrity.destruction',
        causes: ['accidental.vulnerability'],
        attack_type: null,
      }),
  },
  'POST /api/v1/agency-shares': {
    expect: (c) => (c.role === 'operator' ? 403 : 201),
    send: (app, c) =>
      as(app, c.user).post('/api/v1/agency-shares', { ...share, title: `s${++matrix.counter}` }),
  },
  'POST /api/v1/center-provisions': {
    expect: (c) => (center(c.role) ? 201 : 403),
    send: (app, c) =>
      as(app, c.user).post('/api/v1/center-provisions', { ...share, title: `p${++matrix.counter}` }),
  },
};
