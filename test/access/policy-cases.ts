import { expect } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Tlp } from '../../src/domain/tlp.js';
import type { Role } from '../../src/access/index.js';
import type { TestUser } from '../support/api.js';
import { as } from '../support/api.js';

/** The cases of the route matrix (policy-matrix.test.ts): who asks, about which record, in which state. */
export const RELATIONS = ['own', 'same_sector', 'other_sector'] as const;
export type Relation = (typeof RELATIONS)[number];
export const ORG_OF: Record<Relation, { org: string; sector: string }> = {
  own: { org: 'Alpha Power', sector: 'electricity' },
  same_sector: { org: 'Beta Power', sector: 'electricity' },
  other_sector: { org: 'Gamma Bank', sector: 'finance' },
};

/**
 * The record's lifecycle state, a dimension of every record case: received, rejected, withdrawn,
 * and closed (received, with its final report filed).
 */
export const STATES = ['received', 'rejected', 'withdrawn', 'closed'] as const;
export type State = (typeof STATES)[number];
let finals = 0;
/** Puts a received record into `state` as the center would (and back again after a case moved it). */
export async function putInState(
  app: FastifyInstance,
  center: TestUser,
  id: number,
  state: State,
): Promise<void> {
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
export const shelved = (state: State) => state === 'rejected' || state === 'withdrawn';

/** Who may read Alpha Power's electricity operator report marked `tlp`: TLP 2.0 as kyoyu reads it. */
export function mayRead(role: Role, rel: Relation, tlp: Tlp, state: State): boolean {
  if (role === 'center_analyst') return true;
  if (rel === 'own') return true;
  // Rejected and withdrawn records stay with the center and their owner.
  if (shelved(state)) return false;
  if (tlp === 'CLEAR' || tlp === 'GREEN') return true;
  if (role === 'admin') return tlp !== 'RED';
  return role === 'sector_desk' && rel === 'same_sector' && tlp === 'AMBER';
}
export const mayWrite = (role: Role, rel: Relation) =>
  role === 'center_analyst' || role === 'admin' || (role === 'operator' && rel === 'own');
export const center = (role: Role) => role === 'center_analyst' || role === 'admin';
/**
 * A write on a record its reporter's organisation and the center make (sector desks hold no
 * incidents:write), not on a rejected or withdrawn record: the timeline, the reporting duties.
 */
export const reporterWrite = (c: Case) =>
  c.role === 'sector_desk'
    ? 403
    : !mayRead(c.role, c.rel, c.tlp, c.state)
      ? 404
      : !mayWrite(c.role, c.rel)
        ? 403
        : shelved(c.state)
          ? 409
          : 200;

export interface Case {
  role: Role;
  rel: Relation;
  tlp: Tlp;
  state: State;
  user: TestUser;
  id: number;
}
export type Expect = (c: Case) => number | number[];

export const stage = (n: number) => ({
  stage: 'update',
  received_at: `2023-10-06T${String(n % 24).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00+09:00`,
  description: `update ${n}`,
  event: 'integrity.destruction',
  causes: ['accidental.vulnerability'],
  attack_type: 'ransomware',
});
export const classification = {
  event: 'integrity.destruction',
  causes: ['other.unknown'],
  attack_type: null,
};
export const share = { received_at: '2023-07-20T10:00:00+09:00', title: 'advisory', body: '...' };
/**
 * Counters and ids the routes' requests use: a fresh name per request, the user and token the admin
 * routes act on, and that user's saved filter (nobody else's to delete).
 */
export const matrix = { counter: 0, target: 0, targetToken: 0, targetFilter: 0 };
export const adminOnly = (ok: number | number[]) => (c: Case) => (c.role === 'admin' ? ok : 403);

/** A lifecycle decision; one that succeeds is undone at once, so the record keeps its case's state. */
export async function decideAndUndo(
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
export const decision = (c: Case, applies: readonly State[]) =>
  c.role !== 'center_analyst' ? 403 : applies.includes(c.state) ? 200 : 409;

/** What each route must answer; `send` makes the request for one case. */

/** What a route must answer for one case, and how to send it. */
export interface RouteSpec {
  expect: Expect;
  send: (app: FastifyInstance, c: Case) => Promise<LightMyRequestResponse>;
}
