import type { Kysely } from 'kysely';
import type { Actor } from '../../access/index.js';
import type { Database } from '../../platform/db/database.js';
import type { Dialect } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { inTransaction, onCommit } from '../../platform/db/transaction.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { MailOutbox } from '../notifications/index.js';
import { newReportFanOut } from '../notifications/index.js';
import type { OrganizationIds } from '../organizations/index.js';
import type { RollupChange } from '../stats/index.js';
import { applyRollupChange, rollupRows } from '../stats/index.js';
import { loadEvent, reportEvent, SYSTEM } from './incident.audit.js';
import type { IncidentRow, PlanContext, ReportSubmission } from './incident.plan.js';
import { planReports } from './incident.plan.js';
import type { WrittenReports } from './incident.store.js';
import { createdRecords, loadStageFacts, newIncidentWrite, writePlan } from './incident.store.js';

export type { WrittenReports } from './incident.store.js';
export type { ReportSubmission, SubmissionResult } from './incident.plan.js';

/** What writing reports needs: one per process (IncidentService.writer). */
export interface ReportWriter {
  database: Database;
  calendar: FiscalCalendar;
  organizations: OrganizationIds;
  audit: AuditService;
  /** Notifications of a new report to its sector's desks, and the mail outbox they may wake. */
  outbox?: Pick<MailOutbox, 'configured' | 'kick'>;
}

export interface WriteOptions {
  /** Who reports: one audit entry per report. Without one, one entry for the batch (a bulk load). */
  actor?: Actor;
  /**
   * Called with the batch's existing incidents, read inside the transaction (locked on PostgreSQL),
   * before anything is planned or written: an API write refuses here (not found, 412) on the row
   * it is about to change.
   */
  checkExisting?(existing: ReadonlyMap<string, IncidentRow>): void;
  /** The report most likely opens an incident (a POST): the dialect's one-statement write is tried first. */
  likelyNew?: boolean;
  /** What the record brings beside its incident row, in the same transaction (an advisory's tables). */
  alongside?: AlongsideWrite;
}

/**
 * The hook through which a record type with tables of its own (advisories) writes them in the
 * report's transaction, on either database: the incident, its rollup change and its audit entry
 * stay this function's, written once. With a hook the write always takes the transaction path.
 */
export interface AlongsideWrite {
  /** Columns every incident the write creates gets (an addressed record's audience). */
  newRowColumns?: Partial<Pick<IncidentRow, 'audience'>>;
  /** First in the transaction, before anything is written: locks and checks; a refusal writes nothing. */
  before?(trx: Kysely<DB>): Promise<void>;
  /** Last in the transaction, with what was written: the record's own rows and audit entry. */
  after(trx: Kysely<DB>, written: WrittenReports): Promise<void>;
}

/** A batch inside a longer transaction (the file import): its change sums into `change`. */
export interface BatchContext extends Pick<WriteOptions, 'checkExisting'> {
  change: RollupChange;
  now?: string;
  /**
   * Every ref the source has, when the caller loaded them (a file import): only these are looked up,
   * so a large import of new incidents makes no per-batch lookups at all. New refs are added here.
   */
  knownRefs?: Set<string>;
  /** Columns every incident the batch creates gets (AlongsideWrite.newRowColumns). */
  newRowColumns?: AlongsideWrite['newRowColumns'];
}

/**
 * THE write of reports, for the API (a new incident, a stage on one) and bulk stores: the rows from
 * planReports, the rollup change from the stats module's rule, the audit entries from the audit
 * module's content, all committed together. The dialect decides how: a new incident on PostgreSQL
 * is one statement (one round trip instead of about nine); otherwise one transaction, on SQLite
 * through prepared statements and sharing its commit with concurrent writes.
 */
export async function writeReports(
  w: ReportWriter,
  source: string,
  submissions: readonly ReportSubmission[],
  options: WriteOptions = {},
): Promise<WrittenReports> {
  const { actor, alongside } = options;
  const one = w.database.dialect.writeOne;
  if (options.likelyNew && actor && submissions.length === 1 && one && !alongside) {
    const written = await writeNewInOne(w, one, source, submissions[0]!, actor, options);
    if (written) return written;
  }
  return inTransaction(
    w.database,
    async (trx) => {
      await alongside?.before?.(trx);
      const change: RollupChange = new Map();
      const batch = { ...options, change, newRowColumns: alongside?.newRowColumns };
      const written = await writeReportsIn(trx, w, source, submissions, batch);
      await applyRollupChange(trx, w.database.dialect, change);
      // A caller's report that opened an incident tells its sector's desks (bulk loads do not).
      const opened = actor && written.created?.incident;
      const fanOut =
        opened && w.outbox && newReportFanOut(opened, new Date().toISOString(), w.outbox.configured);
      if (fanOut) {
        await w.database.dialect.insertDerived(trx, fanOut, opened.id);
        onCommit(trx, () => w.outbox!.kick());
      }
      await alongside?.after(trx, written);
      if (!actor) await w.audit.append(trx, SYSTEM, loadEvent(source, written.results));
      else
        for (const [i, result] of written.results.entries())
          await w.audit.append(trx, whoOf(actor), reportEvent(source, submissions[i]!.line, result));
      return written;
    },
    { grouped: submissions.length <= 100 },
  );
}

/**
 * Writes a batch of reports of one source inside the caller's transaction: the incidents and
 * stages it reads (locked), the plan, its rows. The rollup change is added into `ctx.change`; the
 * caller applies it and appends the audit entry.
 */
export async function writeReportsIn(
  trx: Kysely<DB>,
  w: ReportWriter,
  source: string,
  submissions: readonly ReportSubmission[],
  ctx: BatchContext,
): Promise<WrittenReports> {
  const { dialect } = w.database;
  const refs = [...new Set(submissions.map((s) => s.line.ref))];
  const known = ctx.knownRefs;
  const rows = await dialect.rowsByKeys<IncidentRow>(
    trx,
    'incidents',
    'ref',
    known ? refs.filter((ref) => known.has(ref)) : refs,
    // Locked: two writers adding stages to one incident must not both derive it from the same old row.
    { where: { source }, lock: true },
  );
  const existing = new Map(rows.map((r) => [r.ref, r]));
  ctx.checkExisting?.(existing);
  // A new incident (most API writes) has no stages to read.
  const stages =
    rows.length > 0
      ? await loadStageFacts(
          trx,
          dialect,
          rows.map((r) => r.id),
        )
      : new Map();
  const now = ctx.now ?? new Date().toISOString();
  const plan = await planReports(planContext(w, trx, now), source, submissions, existing, stages, ctx.change);
  if (ctx.newRowColumns) for (const insert of plan.inserts) Object.assign(insert.row, ctx.newRowColumns);
  return writePlan(trx, dialect, plan, now, known, submissions.length === 1 ? submissions[0] : undefined);
}

/** Organisation ids resolved in `db` (a transaction, or the database itself for one statement). */
function planContext(w: ReportWriter, db: Kysely<DB>, now: string): PlanContext {
  return {
    calendar: w.calendar,
    now,
    organizationId: (name, sector) =>
      w.organizations.known(db, name) ?? w.organizations.resolve(db, name, sector, now),
  };
}

/**
 * A report that opens a new incident, written by the dialect in one statement outside any
 * transaction: the incident, its stage report, causes, rollup counts and audit entry. Null when
 * the ref exists (or nothing could be written): the transaction path then adds a stage, finds a
 * repeat, or creates what a fresh database lacks.
 */
async function writeNewInOne(
  w: ReportWriter,
  writeOne: NonNullable<Dialect['writeOne']>,
  source: string,
  submission: ReportSubmission,
  actor: Actor,
  options: WriteOptions,
): Promise<WrittenReports | null> {
  const { db, dialect } = w.database;
  options.checkExisting?.(new Map());
  const change: RollupChange = new Map();
  const now = new Date().toISOString();
  const plan = await planReports(planContext(w, db, now), source, [submission], new Map(), new Map(), change);
  const planned = plan.inserts[0];
  if (!planned || planned.newStages.length !== 1) return null;
  const event = reportEvent(source, submission.line, { created: true, stageAdded: true });
  const { write, stages } = newIncidentWrite(
    planned,
    now,
    rollupRows(dialect, change),
    w.audit.entryAboutNewRecord(whoOf(actor), event),
  );
  // The sector desks' notifications are part of the one statement.
  const fanOut = w.outbox && newReportFanOut(planned.row, now, w.outbox.configured);
  if (fanOut) write.derived = [fanOut];
  const ids = await writeOne(write);
  if (!ids) return null;
  if (fanOut) w.outbox!.kick();
  return {
    results: [{ incidentId: ids.id, created: true, stageAdded: true }],
    created: createdRecords(planned.row, ids.id, submission, {
      ...stages[0]!,
      incident_id: ids.id,
      id: ids.childIds[0]!,
    }),
  };
}
