import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src/platform/errors.js';
import type { Actor, Role } from '../../src/access/actor.js';
import { actionsOn, authorize } from '../../src/access/records.js';
import { canSee } from '../../src/access/visibility.js';

const actor = (role: Role, organizationId = 1, sectors: string[] = []): Actor => ({
  userId: 1,
  email: 'x@example.org',
  organizationId,
  organizationName: `org ${organizationId}`,
  role,
  sectors,
});
const record = (tlp: string, organization_id = 2, channel = 'operator_report') => ({
  organization_id,
  sector: 'electricity',
  channel,
  tlp,
  state: 'received',
  audience: 'community',
});
const statusOf = (fn: () => void): number | 'ok' => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as AppError).status;
  }
};

describe('authorize', () => {
  it('answers not found first: an unseen record is refused exactly like a missing one', () => {
    expect(statusOf(() => authorize(actor('admin'), 'classify', record('RED')))).toBe(404);
    expect(statusOf(() => authorize(actor('admin'), 'classify', undefined))).toBe(404);
    // Unseen AND not applicable (an agency share): still 404, never the 409 that tells it exists.
    expect(
      statusOf(() => authorize(actor('operator'), 'add_report', record('AMBER', 2, 'agency_share'))),
    ).toBe(404);
  });

  it('then forbidden, then not applicable', () => {
    expect(statusOf(() => authorize(actor('operator'), 'add_report', record('GREEN')))).toBe(403);
    expect(statusOf(() => authorize(actor('operator'), 'classify', record('GREEN', 1)))).toBe(403);
    expect(
      statusOf(() => authorize(actor('center_analyst'), 'add_report', record('RED', 2, 'agency_share'))),
    ).toBe(409);
    expect(statusOf(() => authorize(actor('operator'), 'add_report', record('RED', 1)))).toBe('ok');
  });

  it('a token without the scope may not, though its role may', () => {
    const token = { ...actor('center_analyst'), scopes: new Set(['read'] as const) };
    expect(statusOf(() => authorize(token, 'classify', record('AMBER')))).toBe(403);
    // Reading its conversation is reading: the read scope keeps it, and nothing else.
    expect(actionsOn(token, record('AMBER'))).toEqual(['read_conversation']);
    expect(actionsOn(actor('center_analyst'), record('AMBER'))).toEqual([
      'add_report',
      'classify',
      'change_state',
      'read_conversation',
    ]);
  });

  it('fails closed: a record without a column the rule reads is not seen', () => {
    expect(canSee(actor('operator'), { organization_id: 2, channel: 'operator_report' })).toBe(false);
    expect(canSee(actor('operator'), { organization_id: 1 })).toBe(true);
    expect(canSee(actor('center_analyst'), {})).toBe(true);
    // Without its audience a CLEAR record is not community news: it could be addressed.
    const clear = {
      organization_id: 2,
      channel: 'operator_report',
      sector: 'electricity',
      tlp: 'CLEAR',
      state: 'received',
    };
    expect(canSee(actor('operator'), clear)).toBe(false);
    expect(canSee(actor('operator'), { ...clear, audience: 'community' })).toBe(true);
  });
});
