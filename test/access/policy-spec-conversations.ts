import type { Role } from '../../src/access/index.js';
import type { Tlp } from '../../src/domain/tlp.js';
import { as } from '../support/api.js';
import type { Case, Relation, RouteSpec, State } from './policy-cases.js';
import { center, mayRead, matrix, shelved } from './policy-cases.js';

/**
 * Who takes part in Alpha Power's electricity report's conversation, written out: the center
 * (where it reads the record), Alpha Power's own users, and the electricity desk where the
 * marking reaches sector desks. Anyone else who reads the record (as community news) is refused.
 */
export function mayConverse(role: Role, rel: Relation, tlp: Tlp, state: State): boolean {
  if (!mayRead(role, rel, tlp, state)) return false;
  if (center(role) || rel === 'own') return true;
  return (
    role === 'sector_desk' &&
    rel === 'same_sector' &&
    !shelved(state) &&
    ['CLEAR', 'GREEN', 'AMBER'].includes(tlp)
  );
}
const conversing = (ok: number) => (c: Case) =>
  !mayRead(c.role, c.rel, c.tlp, c.state) ? 404 : mayConverse(c.role, c.rel, c.tlp, c.state) ? ok : 403;

/** The conversation and notification routes, per case. */
export const CONVERSATION_ROUTES: Record<string, RouteSpec> = {
  'GET /api/v1/incidents/:id/messages': {
    expect: conversing(200),
    send: (app, c) => as(app, c.user).get(`/api/v1/incidents/${c.id}/messages`),
  },
  'POST /api/v1/incidents/:id/messages': {
    expect: conversing(201),
    send: (app, c) =>
      as(app, c.user).post(`/api/v1/incidents/${c.id}/messages`, { body: `message ${++matrix.counter}` }),
  },
  'PUT /api/v1/incidents/:id/messages/read': {
    expect: conversing(200),
    send: (app, c) =>
      as(app, c.user).put(`/api/v1/incidents/${c.id}/messages/read`, { last_read_id: 2 ** 30 }),
  },
  'GET /api/v1/messages/unread': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/messages/unread'),
  },
  'GET /api/v1/notifications': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/notifications'),
  },
  'GET /api/v1/notifications/unread': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/notifications/unread'),
  },
  'POST /api/v1/notifications/read': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).post('/api/v1/notifications/read', { all: true }),
  },
  'GET /api/v1/notifications/settings': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/api/v1/notifications/settings'),
  },
  'PUT /api/v1/notifications/settings': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).put('/api/v1/notifications/settings', { language: 'ja', mail: true }),
  },
};
