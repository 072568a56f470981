import type { Database } from '../../platform/db/database.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { LifecycleAction, RejectReason } from '../../domain/lifecycle.js';
import { mayReopen, nextState, WITHDRAWN_REASON } from '../../domain/lifecycle.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { Actor } from '../../access/index.js';
import { actionsOn, authorize, hasScope, visibilityOf } from '../../access/index.js';
import { counted } from './incident.rows.js';
import type { IncidentRecord } from './incident.repository.js';
import { IncidentRepository } from './incident.repository.js';
import type { IncidentView, WriteReceipt } from './incident.view.js';
import { incidentView, receiptOf } from './incident.view.js';
import { applyChange } from '../stats/index.js';
import { inTransaction } from '../../platform/db/transaction.js';

export interface LifecycleInput {
  /** Reject only: why (a code from REJECT_REASONS). */
  reason?: RejectReason;
  note?: string;
}

type Change = Partial<
  Pick<
    IncidentRecord,
    'state' | 'state_reason' | 'state_note' | 'state_changed_at' | 'state_changed_by' | 'final_received_at'
  >
>;

/**
 * The center's decisions on a record: reject, withdraw, restore, reopen. Each runs in one
 * transaction that looks the record up through the caller's visibility (the row locked on
 * PostgreSQL), then checks the action, If-Match and the state in that order, so that a record the
 * caller may not see answers 404 whatever else is wrong; moves the statistics rollup by exactly the
 * record's contributions; and appends the audit entry. A refused request changes nothing.
 */
export class IncidentLifecycle {
  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly audit: AuditService,
  ) {}

  async apply(
    actor: Actor,
    id: number,
    action: LifecycleAction,
    input: LifecycleInput,
    expectedVersion?: number,
  ): Promise<IncidentView | WriteReceipt> {
    const { database } = this;
    await inTransaction(
      database,
      async (trx) => {
        // Lock first (the lock reveals nothing: its answer is never used), then read through the
        // visibility rule, so that the row checked is the row updated.
        await database.dialect.lockRow(trx, 'incidents', id);
        const row = await new IncidentRepository(trx, database.dialect).findById(id, visibilityOf(actor));
        authorize(actor, 'change_state', row);
        if (expectedVersion !== undefined && row.version !== expectedVersion)
          throw new AppError(
            'precondition_failed',
            `the incident changed (version ${row.version}); reload it`,
          );
        const now = new Date().toISOString();
        const change = changeOf(row, action, input, now, actor.userId);
        const version = row.version + 1;
        // updated_at stays: the review queue reads it as "reported on since the center classified".
        await trx
          .updateTable('incidents')
          .set({ ...change, version })
          .where('id', '=', id)
          .execute();
        await applyChange(trx, database.dialect, this.calendar, counted(row), counted({ ...row, ...change }));
        await this.audit.append(trx, whoOf(actor), {
          action: `incident.${action}`,
          objectType: 'incident',
          objectId: id,
          details: {
            from: row.state,
            to: change.state ?? row.state,
            ...(input.reason ? { reason: input.reason } : {}),
            ...(input.note ? { note: input.note } : {}),
            version,
          },
        });
      },
      { grouped: true },
    );
    const repo = new IncidentRepository(database.db, database.dialect);
    const row = await repo.findById(id, visibilityOf(actor));
    if (!row) throw notFound();
    const view = incidentView(row, this.calendar, actionsOn(actor, row), await repo.stagesOf(id));
    return hasScope(actor, 'read') ? view : receiptOf(view, false);
  }
}

/** What the action changes on the row, or the 4xx that says why it does not apply. */
function changeOf(
  row: IncidentRecord,
  action: LifecycleAction,
  input: LifecycleInput,
  now: string,
  by: number,
): Change {
  const note = input.note?.trim() ? input.note : null;
  const conflict = (why: string) =>
    new AppError('lifecycle_conflict', why, {
      state: row.state,
      closed: row.final_received_at !== null,
    });
  if (action === 'reopen') {
    if (!mayReopen(row.state, row.final_received_at))
      throw conflict('only a received incident closed by its final report can be reopened');
    return { final_received_at: null };
  }
  if (action === 'reject' && (input.reason === undefined || (input.reason === 'other' && !note)))
    throw new AppError('validation_failed', 'a rejection needs a reason (and a note for other)', [
      input.reason === undefined
        ? { field: 'body.reason', code: 'required', message: 'choose a reason' }
        : { field: 'body.note', code: 'required', message: 'say why when the reason is other' },
    ]);
  if (action === 'withdraw' && !note)
    throw new AppError('validation_failed', 'a withdrawal needs a note', [
      { field: 'body.note', code: 'required', message: 'record the reporter’s request' },
    ]);
  const state = nextState(row.state, action);
  if (!state)
    throw conflict(
      `an incident that is ${row.state} cannot be ${action === 'restore' ? 'restored' : `${action}ed`}`,
    );
  return {
    state,
    state_reason: action === 'reject' ? input.reason! : action === 'withdraw' ? WITHDRAWN_REASON : null,
    state_note: note,
    state_changed_at: now,
    state_changed_by: by,
  };
}
