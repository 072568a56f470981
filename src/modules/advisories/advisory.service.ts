import type { Kysely } from 'kysely';
import type { Actor } from '../../access/index.js';
import { isAllowed } from '../../access/index.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { ReportLine } from '../../domain/report-line.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import { inTransaction, onCommit } from '../../platform/db/transaction.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { decodeIdCursor, encodeCursor } from '../../platform/http/cursor.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { IncidentService, WrittenReports } from '../incidents/index.js';
import { apiSource, refFor, writeReports } from '../incidents/index.js';
import type { MailOutbox } from '../notifications/index.js';
import { notifyOrganizations } from '../notifications/index.js';
import type { AdvisoryRecord } from './advisory.repository.js';
import {
  addReceipts,
  findAdvisory,
  listAdvisories,
  membersOf,
  recipientOrganizations,
  setMembers,
} from './advisory.repository.js';
import type {
  AdvisoryList,
  AdvisoryListQuery,
  AdvisoryView,
  Audience,
  NewAdvisory,
  Receipt,
  ReceiptBody,
  ReviseAdvisory,
} from './advisory.schema.js';
import { advisoryView, mayRespond, mayReviseShare } from './advisory.view.js';
import { followUp, remind, revisions } from './advisory.follow-up.js';
import { checkedAudience, recipientChoices } from './advisory.audience.js';
import type { AdvisoryPublication } from './advisory.publish.js';
import { previousRevision, publishAdvisory } from './advisory.publish.js';
import type { StixProducer } from '../stix/index.js';
import type { TaxiiStore } from '../taxii/index.js';

const NO_ONE: Audience = { everyone: false, sectors: [], organizations: [] };

/**
 * Advisories and agency shares. Each is an incident (channel center_provision or agency_share)
 * written through the incidents module's one write (`writeReports`): the incident, its rollup
 * change and its audit entry once; this module's rows (the advisory, its revision, its members,
 * the receipts and notifications of the organisations it reaches) through the write's hook, in the
 * same transaction. A revision is a further report on the same incident: it counts nothing again.
 */
export class AdvisoryService {
  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly taxonomy: Taxonomy,
    private readonly audit: AuditService,
    private readonly incidents: IncidentService,
    private readonly outbox: Pick<MailOutbox, 'configured' | 'kick'>,
    /** Where advisories are published as STIX (the TAXII collections), and in whose name. */
    private readonly publication: { store: TaxiiStore; producer: StixProducer },
  ) {}

  async create(actor: Actor, body: NewAdvisory): Promise<AdvisoryView> {
    const share = body.kind === 'agency_share';
    if (!isAllowed(actor, share ? 'shares:agency' : 'advisories:write'))
      throw forbidden(`your role may not file ${share ? 'agency shares' : 'advisories'}`);
    // An agency share goes to the center only: no members (its filer's organisation and the center see it).
    const audience = share ? NO_ONE : await checkedAudience(this.database.db, this.taxonomy, body.audience);
    const base = {
      channel: share ? ('agency_share' as const) : ('center_provision' as const),
      organization: actor.organizationName,
      ...(share && actor.sectors[0] ? { sector: actor.sectors[0] } : {}),
      title: body.content.title.ja,
      description: body.content.body.ja,
      received_at: body.received_at ?? new Date().toISOString(),
      tlp: body.tlp,
    };
    const line: ReportLine = { ...base, ref: refFor(this.calendar, { ...base, ref: '' }) };
    let advisoryId = 0;
    await writeReports(this.incidents.writer, apiSource(actor), [this.incidents.submission(line, actor)], {
      actor,
      alongside: {
        newRowColumns: { audience: 'addressed' },
        after: async (trx, written) => {
          const incidentId = createdId(written);
          const now = new Date().toISOString();
          const row = await trx
            .insertInto('advisories')
            .values({
              incident_id: incidentId,
              kind: body.kind,
              severity: body.severity,
              revision: 1,
              created_at: now,
              created_by: actor.userId,
              updated_at: now,
              updated_by: actor.userId,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          advisoryId = row.id;
          await this.addRevision(trx, actor, advisoryId, 1, body, audience, now);
          await setMembers(trx, incidentId, membersOf(audience));
          await this.publish(trx, { advisoryId, revision: 1, created: now, modified: now, body, audience });
          const reached = await this.deliver(trx, actor, advisoryId, incidentId, audience, now);
          await this.audit.append(trx, whoOf(actor), {
            action: 'advisory.create',
            objectType: 'advisory',
            objectId: advisoryId,
            details: { incident_id: incidentId, kind: body.kind, tlp: body.tlp, organizations: reached },
          });
        },
      },
    });
    return this.view(actor, advisoryId);
  }

  /** A new revision (If-Match: the current one's); a widened audience reaches its new recipients. */
  async revise(
    actor: Actor,
    id: number,
    body: ReviseAdvisory,
    expectedRevision: number | undefined,
  ): Promise<AdvisoryView> {
    const current = await findAdvisory(this.database.db, this.database.dialect, actor, id);
    if (!current) throw notFound();
    this.refuseRevision(actor, current);
    const share = current.kind === 'agency_share';
    const audience = share ? NO_ONE : await checkedAudience(this.database.db, this.taxonomy, body.audience);
    const line: ReportLine = {
      ref: current.ref,
      channel: current.channel as ReportLine['channel'],
      organization: current.author_organization ?? actor.organizationName,
      ...(current.sector ? { sector: current.sector } : {}),
      title: body.content.title.ja,
      description: body.content.body.ja,
      received_at: new Date().toISOString(),
      tlp: body.tlp,
    };
    let revision = 0;
    await writeReports(this.incidents.writer, current.source, [this.incidents.submission(line, actor)], {
      actor,
      alongside: {
        // The decision that counts: on the advisory row this transaction locks.
        before: async (trx) => {
          const locked = await this.database.dialect
            .forUpdate(trx.selectFrom('advisories').select('revision').where('id', '=', id))
            .executeTakeFirst();
          const seen = await findAdvisory(trx, this.database.dialect, actor, id);
          if (!locked || !seen) throw notFound();
          this.refuseRevision(actor, seen);
          if (expectedRevision !== undefined && locked.revision !== expectedRevision)
            throw new AppError(
              'precondition_failed',
              `the advisory changed (revision ${locked.revision}); reload it`,
            );
          revision = locked.revision + 1;
        },
        after: async (trx) => {
          const now = new Date().toISOString();
          await trx
            .updateTable('advisories')
            .set({ revision, severity: body.severity, updated_at: now, updated_by: actor.userId })
            .where('id', '=', id)
            .execute();
          const previous = await previousRevision(trx, id, revision - 1);
          await this.addRevision(trx, actor, id, revision, body, audience, now);
          await setMembers(trx, current.incident_id, membersOf(audience));
          await this.publish(trx, {
            advisoryId: id,
            revision,
            created: previous.created,
            modified: now,
            body,
            audience,
            previous: previous.revision,
          });
          const reached = await this.deliver(trx, actor, id, current.incident_id, audience, now);
          await this.audit.append(trx, whoOf(actor), {
            action: 'advisory.revise',
            objectType: 'advisory',
            objectId: id,
            details: { revision, tlp: body.tlp, new_organizations: reached },
          });
        },
      },
    });
    return this.view(actor, id);
  }

  async get(actor: Actor, id: number): Promise<AdvisoryView> {
    const view = await this.view(actor, id);
    await this.audit.record(whoOf(actor), { action: 'advisory.read', objectType: 'advisory', objectId: id });
    return view;
  }

  async list(actor: Actor, query: AdvisoryListQuery): Promise<AdvisoryList> {
    const rows = await listAdvisories(this.database.db, this.database.dialect, actor, {
      kind: query.kind,
      incidentId: query.incident_id,
      unread: query.unread === 'true',
      beforeId: decodeIdCursor(query.cursor),
      limit: query.limit,
    });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => advisoryView(actor, r)),
      next_cursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!.id) : null,
    };
  }

  /** The caller organisation's receipt: read, acknowledged, what it did. Recipients only. */
  async respond(actor: Actor, id: number, body: ReceiptBody): Promise<Receipt> {
    return inTransaction(this.database, async (trx) => {
      const a = await findAdvisory(trx, this.database.dialect, actor, id);
      if (!a) throw notFound();
      if (!mayRespond(actor, a))
        throw forbidden('only the organisations the advisory is addressed to respond to it');
      const now = new Date().toISOString();
      const set: Record<string, string | number | null> = {};
      const reads = body.read || body.acknowledged || body.action_status !== undefined;
      if (reads && a.read_at === null) Object.assign(set, { read_at: now, read_by: actor.userId });
      if (body.acknowledged && a.acknowledged_at === null)
        Object.assign(set, { acknowledged_at: now, acknowledged_by: actor.userId });
      if (body.action_status !== undefined || body.action_note !== undefined)
        Object.assign(set, {
          action_status: body.action_status ?? a.action_status,
          action_note: body.action_note ?? a.action_note,
          action_at: now,
          action_by: actor.userId,
        });
      if (Object.keys(set).length > 0) {
        await trx
          .updateTable('advisory_receipts')
          .set(set)
          .where('advisory_id', '=', id)
          .where('organization_id', '=', actor.organizationId)
          .execute();
        await this.audit.append(trx, whoOf(actor), {
          action: 'advisory.receipt',
          objectType: 'advisory',
          objectId: id,
          details: { organization_id: actor.organizationId, ...body },
        });
      }
      const after = await findAdvisory(trx, this.database.dialect, actor, id);
      return advisoryView(actor, after!).receipt!;
    });
  }

  /** The organisations the center may name as recipients (the route is the center's). */
  recipients() {
    return recipientChoices(this.database.db);
  }

  followUp(actor: Actor, id: number) {
    return followUp(this.deps(), actor, id, (a) => advisoryView(actor, a));
  }

  remind(actor: Actor, id: number, to: 'unacknowledged' | 'no_action') {
    return remind(this.deps(), actor, id, to);
  }

  revisions(actor: Actor, id: number) {
    return revisions(this.deps(), actor, id);
  }

  private deps() {
    return { database: this.database, audit: this.audit, outbox: this.outbox };
  }

  private async view(actor: Actor, id: number): Promise<AdvisoryView> {
    const a = await findAdvisory(this.database.db, this.database.dialect, actor, id);
    if (!a) throw notFound();
    return advisoryView(actor, a);
  }

  private refuseRevision(actor: Actor, a: AdvisoryRecord): void {
    const may = a.kind === 'advisory' ? isAllowed(actor, 'advisories:write') : mayReviseShare(actor, a);
    if (!may) throw forbidden('you may read this advisory but not revise it');
  }

  private publish(trx: Kysely<DB>, publication: AdvisoryPublication): Promise<void> {
    const { store, producer } = this.publication;
    return publishAdvisory(trx, store, this.taxonomy, producer, publication);
  }

  private async addRevision(
    trx: Kysely<DB>,
    actor: Actor,
    advisoryId: number,
    revision: number,
    body: ReviseAdvisory,
    audience: Audience,
    now: string,
  ) {
    await trx
      .insertInto('advisory_revisions')
      .values({
        advisory_id: advisoryId,
        revision,
        content: JSON.stringify(body.content),
        tlp: body.tlp,
        audience: JSON.stringify(audience),
        author_user_id: actor.userId,
        at: now,
      })
      .execute();
  }

  /** Receipts and notifications for the organisations the audience reaches for the first time. */
  private async deliver(
    trx: Kysely<DB>,
    actor: Actor,
    advisoryId: number,
    incidentId: number,
    audience: Audience,
    now: string,
  ): Promise<number[]> {
    const organizations = await recipientOrganizations(trx, audience, actor.organizationId);
    const fresh = await addReceipts(trx, advisoryId, organizations, now);
    const users = await notifyOrganizations(trx, 'advisory', incidentId, fresh, now, this.outbox.configured);
    if (users > 0) onCommit(trx, () => this.outbox.kick());
    return fresh;
  }
}

/** The new incident's id; an identical advisory already stored is a conflict (nothing is written). */
function createdId(written: WrittenReports): number {
  const result = written.results[0];
  if (!result?.created) throw new AppError('conflict', 'an identical advisory was already filed');
  return result.incidentId;
}
