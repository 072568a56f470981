import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../../access/index.js';
import { isAllowed } from '../../access/index.js';
import type { AnonymityFinding } from '../../domain/anonymity.js';
import { checkAnonymity, describeFinding } from '../../domain/anonymity.js';
import type { FiscalCalendar, Quarter } from '../../domain/fiscal-calendar.js';
import type { LessonAction, LessonState } from '../../domain/lesson-workflow.js';
import { isEditable, lessonMove } from '../../domain/lesson-workflow.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { StatsService } from '../stats/index.js';
import { responseTimes } from '../stats/index.js';
import { identifiersFor } from './lesson.identifiers.js';
import type { LessonRow } from './lesson.repository.js';
import { findLesson, lessonView, listLessons, setLinks } from './lesson.repository.js';
import type { LessonBody, LessonCandidates, LessonView } from './lesson.schema.js';

/**
 * Part 3's lessons learned: written by one analyst, approved by another once the anonymity check
 * finds nothing, published with (or after) the closing of their quarter. A refused step changes nothing.
 */
export class LessonService {
  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly taxonomy: Taxonomy,
    private readonly audit: AuditService,
    private readonly stats: Pick<StatsService, 'infoSharing'>,
  ) {}

  private refuse(actor: Actor): void {
    if (!isAllowed(actor, 'lessons:read'))
      throw forbidden('lessons learned are the center’s until published');
  }
  private refuseWrite(actor: Actor): void {
    if (!isAllowed(actor, 'lessons:write')) throw forbidden('lessons learned are the center’s to write');
  }

  /** What the check finds in the lesson's four texts now. */
  async findings(
    db: Kysely<DB>,
    row: Pick<LessonRow, 'heading_ja' | 'heading_en' | 'body_ja' | 'body_en' | 'incident_ids'>,
  ): Promise<AnonymityFinding[]> {
    const known = await identifiersFor(db, row.incident_ids);
    return checkAnonymity(
      { heading_ja: row.heading_ja, heading_en: row.heading_en, body_ja: row.body_ja, body_en: row.body_en },
      known,
    );
  }

  private async view(db: Kysely<DB>, row: LessonRow): Promise<LessonView> {
    return lessonView(row, await this.findings(db, row));
  }

  async list(actor: Actor, fy: number, quarter: number): Promise<LessonView[]> {
    this.refuse(actor);
    const rows = await listLessons(this.database.db, { fy, quarter });
    return Promise.all(rows.map((r) => this.view(this.database.db, r)));
  }

  async get(actor: Actor, id: number): Promise<LessonView> {
    this.refuse(actor);
    const row = await findLesson(this.database.db, id);
    if (!row) throw notFound('lesson');
    return this.view(this.database.db, row);
  }

  private async checkIncidents(trx: Kysely<DB>, ids: readonly number[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const found = await trx.selectFrom('incidents').select('id').where('id', 'in', unique).execute();
    const missing = unique.filter((id) => !found.some((f) => f.id === id));
    if (missing.length > 0)
      throw new AppError('validation_failed', `no such incidents: ${missing.join(', ')}`, [
        { field: 'incident_ids', code: 'invalid_value', message: `no such incidents: ${missing.join(', ')}` },
      ]);
  }

  private contentOf(body: LessonBody) {
    return {
      fiscal_year: body.fiscal_year,
      quarter: body.quarter,
      heading_ja: body.heading.ja,
      heading_en: body.heading.en,
      body_ja: body.body.ja,
      body_en: body.body.en,
      tlp: body.tlp,
    };
  }

  async create(actor: Actor, body: LessonBody): Promise<LessonView> {
    this.refuseWrite(actor);
    const now = new Date().toISOString();
    const id = await inTransaction(this.database, async (trx) => {
      await this.checkIncidents(trx, body.incident_ids);
      const { id } = await trx
        .insertInto('lessons')
        .values({
          ...this.contentOf(body),
          state: 'draft',
          author_id: actor.userId,
          approved_by: null,
          approved_at: null,
          published_at: null,
          revision: 1,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await setLinks(trx, id, body.incident_ids);
      await this.audit.append(trx, whoOf(actor), {
        action: 'lesson.create',
        objectType: 'lesson',
        objectId: id,
        details: { fiscal_year: body.fiscal_year, quarter: body.quarter, incidents: body.incident_ids },
      });
      return id;
    });
    return this.get(actor, id);
  }

  /** Edits a draft (If-Match: its revision). */
  async update(
    actor: Actor,
    id: number,
    body: LessonBody,
    expectedRevision: number | undefined,
  ): Promise<LessonView> {
    this.refuseWrite(actor);
    await inTransaction(this.database, async (trx) => {
      const current = await trx
        .selectFrom('lessons')
        .select(['state', 'revision'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!current) throw notFound('lesson');
      if (expectedRevision !== undefined && expectedRevision !== current.revision)
        throw new AppError('precondition_failed', `the lesson is at revision ${current.revision}`);
      if (!isEditable(current.state as LessonState))
        throw new AppError(
          'lesson_state',
          `a lesson in state ${current.state} is not edited; return it to draft first`,
        );
      await this.checkIncidents(trx, body.incident_ids);
      await trx
        .updateTable('lessons')
        .set({
          ...this.contentOf(body),
          revision: current.revision + 1,
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', id)
        .execute();
      await setLinks(trx, id, body.incident_ids);
      await this.audit.append(trx, whoOf(actor), {
        action: 'lesson.update',
        objectType: 'lesson',
        objectId: id,
        details: { revision: current.revision + 1, incidents: body.incident_ids },
      });
    });
    return this.get(actor, id);
  }

  /** submit, approve (not the author; the anonymity check must find nothing), return, publish (a closed quarter). */
  async act(
    actor: Actor,
    id: number,
    action: LessonAction,
    expectedRevision: number | undefined,
  ): Promise<LessonView> {
    this.refuseWrite(actor);
    const current = await findLesson(this.database.db, id);
    if (!current) throw notFound('lesson');
    const move = lessonMove(current.state as LessonState, action, {
      userId: actor.userId,
      authorId: current.author_id,
    });
    if (!move.ok) throw new AppError(move.refusal.code, move.refusal.message);
    if (expectedRevision !== undefined && expectedRevision !== current.revision)
      throw new AppError('precondition_failed', `the lesson is at revision ${current.revision}`);
    if (action === 'approve') {
      const findings = await this.findings(this.database.db, current);
      if (findings.length > 0)
        throw new AppError(
          'lesson_not_anonymous',
          `the lesson could identify an organisation: ${findings.map(describeFinding).join('; ')}`,
          { findings },
        );
    }
    if (action === 'publish') {
      const stats = await this.stats.infoSharing(current.fiscal_year, 0, 'center');
      if (stats.quarters[current.quarter - 1]?.state === 'open')
        throw new AppError('quarter_not_published', 'a lesson is published once its quarter is closed');
    }
    const now = new Date().toISOString();
    await inTransaction(this.database, async (trx) => {
      const updated = await trx
        .updateTable('lessons')
        .set({
          state: move.to,
          revision: current.revision + 1,
          updated_at: now,
          ...(action === 'approve' ? { approved_by: actor.userId, approved_at: now } : {}),
          ...(action === 'return' ? { approved_by: null, approved_at: null } : {}),
          ...(action === 'publish' ? { published_at: now } : {}),
        })
        // The state read above still holds: a concurrent step loses rather than skips the check.
        .where('id', '=', id)
        .where('revision', '=', current.revision)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1)
        throw new AppError('conflict', 'the lesson changed meanwhile; reload it');
      await this.audit.append(trx, whoOf(actor), {
        action: `lesson.${action}`,
        objectType: 'lesson',
        objectId: id,
        details: { from: current.state, to: move.to },
      });
    });
    return this.get(actor, id);
  }

  /**
   * Lesson candidates: the quarter's operator reports (received, counted) by cause and attack
   * type with their counts, the largest groups first, each with a few of its incidents.
   */
  async candidates(actor: Actor, fy: number, quarter: Quarter): Promise<LessonCandidates> {
    this.refuse(actor);
    const months = this.calendar.monthsOf(fy, quarter);
    const db = this.database.db;
    const base = db
      .selectFrom('incidents')
      .leftJoin('incident_causes', 'incident_causes.incident_id', 'incidents.id')
      .where('incidents.channel', '=', 'operator_report')
      .where('incidents.state', '=', 'received')
      .where('incidents.month', 'in', months);
    const [groups, total] = await Promise.all([
      base
        .select([
          'incident_causes.cause as cause',
          'incidents.attack_type as attack_type',
          sql<number>`count(*)`.as('n'),
        ])
        .groupBy(['incident_causes.cause', 'incidents.attack_type'])
        .orderBy('n', 'desc')
        .orderBy('incident_causes.cause')
        .orderBy('incidents.attack_type')
        .limit(30)
        .execute(),
      db
        .selectFrom('incidents')
        .select(sql<number>`count(*)`.as('n'))
        .where('channel', '=', 'operator_report')
        .where('state', '=', 'received')
        .where('month', 'in', months)
        .executeTakeFirstOrThrow(),
    ]);
    const label = (list: ReadonlyArray<{ code: string; ja: string; en: string }>, code: string | null) =>
      list.find((l) => l.code === code) ?? null;
    const out = await Promise.all(
      groups.map(async (g) => {
        let q = base.select(['incidents.id', 'incidents.ref', 'incidents.title', 'incidents.sector']);
        q =
          g.cause === null
            ? q.where('incident_causes.cause', 'is', null)
            : q.where('incident_causes.cause', '=', g.cause);
        q =
          g.attack_type === null
            ? q.where('incidents.attack_type', 'is', null)
            : q.where('incidents.attack_type', '=', g.attack_type);
        const incidents = await q.orderBy('incidents.id').limit(5).execute();
        const cause = label(this.taxonomy.data.causes, g.cause);
        const attack = label(this.taxonomy.data.attack_types, g.attack_type);
        return {
          cause: g.cause,
          cause_ja: cause?.ja ?? null,
          cause_en: cause?.en ?? null,
          attack_type: g.attack_type,
          attack_type_ja: attack?.ja ?? null,
          attack_type_en: attack?.en ?? null,
          count: Number(g.n),
          incidents,
        };
      }),
    );
    // Slow escalations stand out as a theme of their own (the seed's fourth lesson).
    const times = await responseTimes(db, this.calendar, fy, quarter);
    return {
      fiscal_year: fy,
      quarter,
      incidents: Number(total.n),
      groups: out,
      slow_escalations: times.slowest_escalations,
      aware_to_management_median_minutes:
        times.intervals.find((i) => i.interval === 'aware_to_management')?.median_minutes ?? null,
    };
  }
}
