import type { Actor } from '../../access/index.js';
import { actionsOn, authorize, canCreateIn, canSee, hasScope, visibilityOf } from '../../access/index.js';
import type { Database } from '../../platform/db/database.js';
import type { Classification } from '../../domain/counting.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { ReportLine } from '../../domain/report-line.js';
import type { ReceivedAtBounds } from '../../domain/received-at-bounds.js';
import { incidentTimesOrThrow, receivedAtOrThrow } from './received-at.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { OrganizationIds } from '../organizations/index.js';
import type { IndicatorRow } from '../indicators/index.js';
import { indicatorsOf, receivableViews } from '../indicators/index.js';
import { readEvent } from './incident.audit.js';
import { writeClassification } from './incident.classify.js';
import type { NewReport, StageInput } from './incident.policy.js';
import {
  apiSource,
  givenRef,
  refFor,
  refuseOtherSector,
  reportingOrganization,
  stageLine,
} from './incident.policy.js';
import type { IncidentRecord } from './incident.repository.js';
import { IncidentRepository } from './incident.repository.js';
import type { IncidentView, WriteReceipt } from './incident.view.js';
import { incidentView, receiptOf } from './incident.view.js';
import type { IncidentRow } from './incident.plan.js';
import type { ReportSubmission, ReportWriter } from './incident.write.js';
import { writeReports } from './incident.write.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ListFilterQuery, ListQuery } from './incident.list.js';
import type { ListingDeps } from './incident.listing.js';
import { exportList, listPage } from './incident.listing.js';
import type { IncidentPage } from './incident.schema.js';

export type { ListFilterQuery, ListQuery } from './incident.list.js';
export type { NewReport, StageInput } from './incident.policy.js';
export { apiSource } from './incident.policy.js';

export class IncidentService {
  private readonly repo: IncidentRepository;
  /** What writing reports needs; the import writes through it too. */
  readonly writer: ReportWriter;
  private readonly listing: ListingDeps;

  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly audit: AuditService,
    private readonly bounds: ReceivedAtBounds,
    organizations: OrganizationIds,
    outbox?: ReportWriter['outbox'],
  ) {
    this.repo = new IncidentRepository(database.db, database.dialect);
    this.writer = { database, calendar, organizations, audit, outbox };
    this.listing = { repo: this.repo, db: database.db, calendar, audit };
  }

  /** Creates an incident (or a share or provision), or adds a stage when the caller's ref exists. */
  async submit(
    actor: Actor,
    input: NewReport,
  ): Promise<{ incident: IncidentView | WriteReceipt; created: boolean; stageAdded: boolean }> {
    if (!canCreateIn(actor, input.channel))
      throw forbidden(`your role may not create ${input.channel} records`);
    const organization = reportingOrganization(actor, input);
    if (input.channel === 'operator_report') refuseOtherSector(actor, input.sector);
    const line: ReportLine = {
      ...input,
      organization,
      ref:
        input.ref !== undefined
          ? givenRef(input.ref)
          : refFor(this.calendar, { ...input, organization, ref: '' }),
    };
    const written = await writeReports(this.writer, apiSource(actor), [this.submission(line, actor)], {
      actor,
      likelyNew: true,
      // The ref exists: a stage onto (or a repeat of) a record this caller may no longer see, e.g. the
      // center's RED report made by an admin, is not found, decided on the locked row before any write.
      checkExisting: (existing) => {
        for (const row of existing.values()) if (!canSee(actor, row)) throw notFound();
      },
    });
    const result = written.results[0]!;
    // A new incident is answered from the rows just written; its indicators are read only if it has some.
    const created = written.created;
    const incident = created
      ? this.present(
          actor,
          created.incident,
          [created.stage],
          line.indicators?.length ? await indicatorsOf(this.database.db, [created.incident.id]) : [],
        )
      : await this.view(actor, result.incidentId);
    return {
      incident: this.answer(actor, incident, false),
      created: result.created,
      stageAdded: result.stageAdded,
    };
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
    refuseOtherSector(actor, input.sector);
    const line = stageLine(current, input, actor);
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

  /**
   * Those of these incidents the actor may see, as it sees them (without their stage reports),
   * unrecorded: for a publisher that records its own entry for what it sends on.
   */
  async viewsOf(actor: Actor, ids: readonly number[]): Promise<IncidentView[]> {
    const rows = await this.repo.findByIds(ids, visibilityOf(actor));
    const byIncident = new Map<number, IndicatorRow[]>();
    for (const i of await indicatorsOf(
      this.database.db,
      rows.map((r) => r.id),
    ))
      byIncident.set(i.incident_id, [...(byIncident.get(i.incident_id) ?? []), i]);
    return rows.map((row) => this.present(actor, row, undefined, byIncident.get(row.id) ?? []));
  }

  /** The incident as the caller sees it, unrecorded: the answer to a write the trail already holds. */
  private async view(actor: Actor, id: number): Promise<IncidentView> {
    const row = await this.repo.findById(id, visibilityOf(actor));
    if (!row) throw notFound();
    const [stages, indicators] = await Promise.all([
      this.repo.stagesOf(id),
      indicatorsOf(this.database.db, [id]),
    ]);
    return this.present(actor, row, stages, indicators);
  }

  private present(
    actor: Actor,
    row: IncidentRecord,
    stages?: Parameters<typeof incidentView>[3],
    indicators?: IndicatorRow[],
  ) {
    // Only the indicators whose marking reaches the caller: the access rule decides.
    const shown = indicators && receivableViews(actor, row, indicators);
    return incidentView(row, this.calendar, actionsOn(actor, row), stages, shown);
  }

  /** A write's answer: the incident as the caller reads it, or only a receipt if it may not read. */
  private answer(actor: Actor, view: IncidentView, classified: boolean): IncidentView | WriteReceipt {
    return hasScope(actor, 'read') ? view : receiptOf(view, classified);
  }

  list(actor: Actor, query: ListQuery): Promise<IncidentPage> {
    return listPage(this.listing, actor, query);
  }

  /** Every matching record the caller may see, in order, read in batches (the CSV export). */
  exportList(actor: Actor, query: ListFilterQuery): Promise<AsyncIterable<IncidentView>> {
    return exportList(this.listing, actor, query);
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
    const deps = { dialect: this.database.dialect, calendar: this.calendar, audit: this.audit };
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
    return (await writeReports(this.writer, source, submissions, { actor, checkExisting })).results;
  }

  /** A line as the write takes it, its received-at checked against the bounds (advisories use it too). */
  submission(line: ReportLine, actor: Actor): ReportSubmission {
    const receivedAtMs = receivedAtOrThrow(line.received_at, this.bounds);
    if (line.occurred_at !== undefined || line.detected_at !== undefined)
      incidentTimesOrThrow(line, receivedAtMs, this.bounds);
    return { line, receivedAtMs, createdBy: actor.userId };
  }
}
