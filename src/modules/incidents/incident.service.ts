import type { Kysely } from 'kysely';
import type { Actor } from '../../access/index.js';
import {
  actionsOn,
  authorize,
  canCreateIn,
  canSee,
  hasScope,
  isAllowed,
  visibilityOf,
} from '../../access/index.js';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import type { Classification } from '../../domain/counting.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { ReportLine } from '../../domain/report-line.js';
import { parseInstant } from '../../domain/report-line.js';
import type { ReceivedAtBounds } from '../../domain/received-at-bounds.js';
import { receivedAtOrThrow } from './received-at.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import { whoOf } from '../audit/audit.service.js';
import { AccountRepository } from '../auth/account.repository.js';
import { fingerprintOf } from './fingerprint.js';
import { listEvent, loadEvent, readEvent, reportEvent, SYSTEM } from './incident.audit.js';
import { writeClassification } from './incident.classify.js';
import type { IncidentRecord } from './incident.repository.js';
import { IncidentRepository } from './incident.repository.js';
import type { IncidentView, WriteReceipt } from './incident.view.js';
import { incidentView, receiptOf } from './incident.view.js';
import type { IncidentRow } from './incident.plan.js';
import type { ReportSubmission } from './incident.writer.js';
import { applyReports } from './incident.writer.js';
import { applyRollupDeltas } from '../stats/rollup.repository.js';
import { insertNewIncidentPg } from './pg-new-incident.js';
import { insertNewIncidentSqlite } from './sqlite-new-incident.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ListQuery } from './incident.list.js';
import { decodeCursor, encodeCursor, filterOf } from './incident.list.js';

export type { ListQuery } from './incident.list.js';

export type NewReport = Omit<ReportLine, 'ref'> & { ref?: string };
export type StageInput = Pick<ReportLine, 'received_at' | 'description'> &
  Partial<Pick<ReportLine, 'title' | 'sector' | 'stage' | 'event' | 'causes' | 'attack_type'>>;

/** Source namespace of refs sent through the API: each organisation has its own refs. */
export const apiSource = (actor: Actor): string => `org:${actor.organizationId}`;

export class IncidentService {
  private readonly repo: IncidentRepository;
  /** Organisation name -> id, for committed organisations only (they are never deleted or renamed). */
  private readonly organizationIds = new Map<string, number>();

  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly audit: AuditService,
    private readonly bounds: ReceivedAtBounds,
  ) {
    this.repo = new IncidentRepository(database.db, database.dialect);
  }

  /** Creates an incident (or a share or provision), or adds a stage when the caller's ref exists. */
  async submit(
    actor: Actor,
    input: NewReport,
  ): Promise<{ incident: IncidentView | WriteReceipt; created: boolean; stageAdded: boolean }> {
    if (!canCreateIn(actor, input.channel))
      throw forbidden(`your role may not create ${input.channel} records`);
    let organization = input.organization;
    if (input.channel !== 'operator_report' || !isAllowed(actor, 'incidents:any_organization')) {
      if (organization !== undefined && organization !== actor.organizationName) {
        throw new AppError('organization_mismatch', 'you can report only for your own organisation');
      }
      organization = actor.organizationName;
    }
    if (input.channel === 'operator_report' && organization === undefined) {
      throw new AppError('validation_failed', 'name the reporting organisation', [
        {
          field: 'body.organization',
          code: 'required',
          message: 'organization is required when the center reports',
        },
      ]);
    }
    const line: ReportLine = {
      ...input,
      organization,
      ref: input.ref ?? this.refFor({ ...input, organization, ref: '' }),
    };
    const submission = this.submission(line, actor);
    const fresh = await this.writeNewIncident(actor, submission);
    if (fresh)
      return {
        incident: this.answer(actor, this.present(actor, fresh.incident, [fresh.stage]), false),
        created: true,
        stageAdded: true,
      };
    // The ref exists: a stage onto (or a repeat of) a record this caller may no longer see, e.g. the
    // center's RED report made by an admin, is not found, decided on the locked row before any write.
    const [result] = await this.store(apiSource(actor), [submission], actor, (existing) => {
      for (const row of existing.values()) if (!canSee(actor, row)) throw notFound();
    });
    const incident = await this.view(actor, result!.incidentId);
    return {
      incident: this.answer(actor, incident, false),
      created: result!.created,
      stageAdded: result!.stageAdded,
    };
  }

  /**
   * The fast path of a report that opens an incident: written in one statement on PostgreSQL, through
   * prepared statements on SQLite, and answered from the rows written. Null when the ref exists:
   * the general path then adds a stage or finds a repeat.
   */
  private async writeNewIncident(actor: Actor, submission: ReportSubmission) {
    const source = apiSource(actor);
    const event = (incidentId?: number) =>
      reportEvent(source, submission.line, { created: true, stageAdded: true, incidentId });
    if (this.database.dialect === 'postgres') {
      return insertNewIncidentPg(
        this.database.db,
        this.writerContext(this.database.db),
        source,
        submission,
        (objectId) => this.audit.pgAppendCtes(whoOf(actor), event(), objectId),
      );
    }
    const sqlite = this.database.sqlite;
    if (!sqlite) return null;
    let ctx: ReturnType<IncidentService['writerContext']> | undefined;
    const fresh = await inTransaction(
      this.database,
      async (t) => {
        ctx = this.writerContext(t);
        const written = await insertNewIncidentSqlite(t, sqlite, ctx, source, submission);
        if (written) await this.audit.append(t, whoOf(actor), event(written.incident.id));
        return written;
      },
      { grouped: true },
    );
    ctx?.committed();
    return fresh;
  }

  /**
   * A stage report is appended, never overwrites: two colleagues adding reports at once both keep
   * theirs. A client that wants to add only to the version it has seen sends If-Match.
   */
  async addStage(
    actor: Actor,
    id: number,
    input: StageInput,
    expectedVersion?: number,
  ): Promise<{ incident: IncidentView | WriteReceipt; stageAdded: boolean }> {
    // A first look, to refuse early and to build the line; the decision that counts is the one
    // made below inside the writing transaction, on the locked row.
    const current = await this.repo.findById(id, visibilityOf(actor));
    authorize(actor, 'add_report', current);
    if (!current) throw notFound();
    const line: ReportLine = {
      ref: current.ref,
      channel: 'operator_report',
      organization: current.organization_name ?? actor.organizationName,
      sector: input.sector ?? current.sector ?? undefined,
      title: input.title ?? current.title,
      description: input.description,
      received_at: input.received_at,
      stage: input.stage ?? 'update',
      event: input.event,
      causes: input.causes,
      attack_type: input.attack_type ?? null,
    };
    const [result] = await this.store(current.source, [this.submission(line, actor)], actor, (existing) => {
      const row = existing.get(current.ref);
      authorize(actor, 'add_report', row?.id === id ? row : undefined);
      // Checked on the row this transaction holds (FOR UPDATE on PostgreSQL): of concurrent
      // writers sending the same If-Match, exactly one finds its version.
      if (expectedVersion !== undefined && row!.version !== expectedVersion) {
        throw new AppError(
          'precondition_failed',
          `the incident changed (version ${row!.version}); reload it`,
        );
      }
    });
    return {
      incident: this.answer(actor, await this.view(actor, id), false),
      stageAdded: result!.stageAdded,
    };
  }

  /** One incident with its stages, for the caller; the read is recorded in the audit trail. */
  async get(actor: Actor, id: number): Promise<IncidentView> {
    const incident = await this.view(actor, id);
    await this.audit.record(whoOf(actor), readEvent(id));
    return incident;
  }

  /** The incident as the caller sees it, unrecorded: the answer to a write the trail already holds. */
  private async view(actor: Actor, id: number): Promise<IncidentView> {
    const row = await this.repo.findById(id, visibilityOf(actor));
    if (!row) throw notFound();
    return this.present(actor, row, await this.repo.stagesOf(id));
  }

  private present(actor: Actor, row: IncidentRecord, stages?: Parameters<typeof incidentView>[3]) {
    return incidentView(row, this.calendar, actionsOn(actor, row), stages);
  }

  /** A write's answer: the incident as the caller reads it, or only a receipt if it may not read. */
  private answer(actor: Actor, view: IncidentView, classified: boolean): IncidentView | WriteReceipt {
    return hasScope(actor, 'read') ? view : receiptOf(view, classified);
  }

  async list(actor: Actor, query: ListQuery): Promise<{ items: IncidentView[]; next_cursor: string | null }> {
    const rows = await this.repo.list(visibilityOf(actor), filterOf(query, this.calendar, actor), {
      limit: query.limit + 1,
      after: decodeCursor(query.cursor),
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const next_cursor =
      rows.length > query.limit && last ? encodeCursor(last.first_received_at, last.id) : null;
    await this.audit.record(whoOf(actor), listEvent(query, page.length));
    return { items: page.map((r) => this.present(actor, r)), next_cursor };
  }

  /**
   * Sets (or, with null, clears) the center's classification, which then counts instead of the
   * reporter's. With `expectedVersion` (from If-Match), a write made against a stale copy is refused
   * with 412 instead of silently overwriting a colleague's classification.
   */
  async classify(
    actor: Actor,
    id: number,
    classification: Classification | null,
    expectedVersion?: number,
  ): Promise<IncidentView | WriteReceipt> {
    const deps = {
      dialect: this.database.dialect,
      sqlite: this.database.sqlite,
      calendar: this.calendar,
      audit: this.audit,
    };
    await inTransaction(
      this.database,
      (trx) => writeClassification(trx, deps, actor, id, classification, expectedVersion),
      { grouped: true },
    );
    return this.answer(actor, await this.view(actor, id), true);
  }

  /**
   * Stores submissions of one source in one transaction, rollup and audit trail included: one
   * entry per report for a caller, one for the whole batch without one (a bulk load).
   */
  async store(
    source: string,
    submissions: ReportSubmission[],
    actor?: Actor,
    checkExisting?: (existing: ReadonlyMap<string, IncidentRow>) => void,
  ) {
    let ctx: ReturnType<IncidentService['writerContext']> | undefined;
    const results = await inTransaction(
      this.database,
      async (t) => {
        ctx = this.writerContext(t);
        const deltas = new Map<string, number>();
        const stored = await applyReports(t, { ...ctx, checkExisting }, source, submissions, deltas);
        await applyRollupDeltas(t, this.database.dialect, deltas, this.database.sqlite);
        if (!actor) await this.audit.append(t, SYSTEM, loadEvent(source, stored));
        else
          for (const [i, result] of stored.entries())
            await this.audit.append(t, whoOf(actor), reportEvent(source, submissions[i]!.line, result));
        return stored;
      },
      { grouped: submissions.length <= 100 },
    );
    ctx?.committed();
    return results;
  }

  /**
   * What the writer needs inside one transaction. Organisation ids it resolves are remembered
   * process-wide only once `committed()` is called: an id from a rolled-back insert must never leak.
   */
  writerContext(trx: Kysely<DB>) {
    const accounts = new AccountRepository(trx);
    const known = this.organizationIds;
    const resolved = new Map<string, number>();
    const now = new Date().toISOString();
    return {
      calendar: this.calendar,
      dialect: this.database.dialect,
      bulk: { dialect: this.database.dialect, sqlite: this.database.sqlite },
      now,
      async resolveOrganization(name: string, sector: string | null) {
        let id = known.get(name) ?? resolved.get(name);
        if (id === undefined) {
          id = await accounts.ensureOrganization(name, sector, now);
          resolved.set(name, id);
        }
        return id;
      },
      knownOrganization: (name: string) => known.get(name) ?? resolved.get(name),
      committed() {
        if (known.size > 50_000) known.clear();
        for (const [name, id] of resolved) known.set(name, id);
      },
    };
  }

  private submission(line: ReportLine, actor: Actor): ReportSubmission {
    const receivedAtMs = receivedAtOrThrow(line.received_at, this.bounds);
    return { line, receivedAtMs, createdBy: actor.userId };
  }

  /**
   * The reference of a report sent without one, derived from its content: a client that retries
   * after a lost answer sends the same report, gets the same ref, and the report is stored once.
   */
  private refFor(line: ReportLine): string {
    const parsed = parseInstant(line.received_at);
    const at = parsed.ok ? parsed.epochMs : 0;
    const fy = this.calendar.periodOf(at).fiscalYear;
    const digest = fingerprintOf(line, at).replace(/[-_]/g, '').slice(0, 10).toUpperCase();
    return `KY-${fy}-${digest}`;
  }
}
