import type { Kysely } from 'kysely';
import type { Actor } from '../../access/index.js';
import { authorize } from '../../access/index.js';
import type { Dialect } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import type { Classification } from '../../domain/counting.js';
import { decideClassification } from '../../domain/counting.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import { AppError } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import { joinCodes } from './fingerprint.js';
import { classifyEvent } from './incident.audit.js';
import { counted, reporterClassificationOf } from './incident.rows.js';
import { applyChange } from '../stats/index.js';

export interface ClassifyDeps {
  dialect: Dialect;
  calendar: FiscalCalendar;
  audit: AuditService;
}

/**
 * Sets (or, with null, clears) the center's classification inside the caller's transaction. The row
 * is read locked (FOR UPDATE on PostgreSQL; SQLite writes one at a time) and the access rule decides
 * on THAT row before anything is written: a record the caller may not see is not found, whatever
 * If-Match says, so neither a write nor a 412 can tell that it exists. Only then the version.
 */
export async function writeClassification(
  trx: Kysely<DB>,
  deps: ClassifyDeps,
  actor: Actor,
  id: number,
  classification: Classification | null,
  expectedVersion?: number,
): Promise<void> {
  const row = await deps.dialect
    .forUpdate(trx.selectFrom('incidents').selectAll().where('id', '=', id))
    .executeTakeFirst();
  authorize(actor, 'classify', row);
  if (!row) return; // authorize threw; this tells the compiler
  if (expectedVersion !== undefined && row.version !== expectedVersion) {
    throw new AppError('precondition_failed', `the incident changed (version ${row.version}); reload it`);
  }
  const now = new Date().toISOString();
  const effective = decideClassification(classification, reporterClassificationOf(row))?.classification;
  const next = {
    center_event: classification?.event ?? null,
    center_causes: joinCodes(classification?.causes),
    center_attack_type: classification?.attackType ?? null,
    center_classified_at: classification ? now : null,
    center_classified_by: classification ? actor.userId : null,
    event: effective?.event ?? null,
    causes: joinCodes(effective?.causes),
    attack_type: effective?.attackType ?? null,
    version: row.version + 1,
    updated_at: now,
  };
  await trx.updateTable('incidents').set(next).where('id', '=', id).execute();
  if (row.causes !== next.causes) {
    await trx.deleteFrom('incident_causes').where('incident_id', '=', id).execute();
    const causes = effective?.causes ?? [];
    await deps.dialect.insertRows(
      trx,
      'incident_causes',
      causes.map((cause) => ({ incident_id: id, cause })),
    );
  }
  await applyChange(trx, deps.dialect, deps.calendar, counted(row), counted({ ...row, ...next }));
  await deps.audit.append(trx, whoOf(actor), classifyEvent(id, classification, next.version));
}
