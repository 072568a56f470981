import { z } from 'zod';
import type { Actor } from '../../access/index.js';
import { authorize, canSee } from '../../access/index.js';
import { checkTimeline } from '../../domain/incident-timeline.js';
import type { IncidentTime } from '../../domain/regimes.js';
import { GIVEN_TIMES } from '../../domain/regimes.js';
import { parseInstant } from '../../domain/report-line.js';
import { instantSchema } from '../../domain/report-line.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';

/**
 * An incident's timeline: when it occurred and became known (from its reports), and the times given
 * on their own (issue 15): management informed, response headquarters set up, service restored,
 * classified as major, ransom paid; each with who gave it and when. Reporting deadlines count
 * from these, and the response-time figures measure between them.
 */

export type GivenTime = (typeof GIVEN_TIMES)[number];

export const timesBody = z
  .strictObject(
    Object.fromEntries(GIVEN_TIMES.map((k) => [`${k}_at`, instantSchema().nullable().optional()])) as Record<
      `${GivenTime}_at`,
      z.ZodOptional<z.ZodNullable<ReturnType<typeof instantSchema>>>
    >,
  )
  .describe('times to set (an instant) or clear (null); those not named stay as they are');

const timeEntry = z.object({
  kind: z.enum(['occurred', 'aware', ...GIVEN_TIMES]),
  at: z.string(),
  /** report: from the incident's reports (occurred_at, detected_at); given: set here. */
  source: z.enum(['report', 'given']),
  given_by: z.string().nullable(),
  given_at: z.string().nullable(),
});
export const timelineSchema = z.object({ incident_id: z.number(), times: z.array(timeEntry) });
export type Timeline = z.infer<typeof timelineSchema>;
export type TimesBody = z.infer<typeof timesBody>;

export class IncidentTimeline {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly clockSkewMs: number,
  ) {}

  async get(actor: Actor, id: number): Promise<Timeline> {
    const row = await this.database.db
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || !canSee(actor, row)) throw notFound();
    return this.read(id, row);
  }

  private async read(
    id: number,
    row: { occurred_at: string | null; detected_at: string | null },
  ): Promise<Timeline> {
    const given = await this.database.db
      .selectFrom('incident_times')
      .leftJoin('users', 'users.id', 'incident_times.given_by')
      .select(['incident_times.kind', 'incident_times.at', 'incident_times.given_at', 'users.email'])
      .where('incident_times.incident_id', '=', id)
      .execute();
    const times: Timeline['times'] = [];
    if (row.occurred_at)
      times.push({ kind: 'occurred', at: row.occurred_at, source: 'report', given_by: null, given_at: null });
    if (row.detected_at)
      times.push({ kind: 'aware', at: row.detected_at, source: 'report', given_by: null, given_at: null });
    for (const kind of GIVEN_TIMES) {
      const g = given.find((t) => t.kind === kind);
      if (g) times.push({ kind, at: g.at, source: 'given', given_by: g.email ?? null, given_at: g.given_at });
    }
    return { incident_id: id, times };
  }

  /**
   * Sets or clears given times: the reporter's organisation or the center, on an operator report
   * that is not rejected or withdrawn; the whole timeline must stay in order. Audited.
   */
  async set(actor: Actor, id: number, body: TimesBody): Promise<Timeline> {
    const now = Date.now();
    const row = await inTransaction(this.database, async (trx) => {
      const row = await this.database.dialect
        .forUpdate(trx.selectFrom('incidents').selectAll().where('id', '=', id))
        .executeTakeFirst();
      authorize(actor, 'add_report', row);
      if (row.state === 'rejected')
        throw new AppError('incident_rejected', 'the center rejected this record');
      if (row.state === 'withdrawn') throw new AppError('incident_withdrawn', 'this record was withdrawn');
      const current = await trx
        .selectFrom('incident_times')
        .select(['kind', 'at'])
        .where('incident_id', '=', id)
        .execute();
      const times: Partial<Record<IncidentTime, number>> = {};
      if (row.occurred_at) times.occurred = Date.parse(row.occurred_at);
      if (row.detected_at) times.aware = Date.parse(row.detected_at);
      for (const c of current) times[c.kind as IncidentTime] = Date.parse(c.at);
      const changes: Record<string, string | null> = {};
      for (const kind of GIVEN_TIMES) {
        const value = body[`${kind}_at`];
        if (value === undefined) continue;
        if (value === null) delete times[kind];
        else {
          const parsed = parseInstant(value);
          if (!parsed.ok) throw new AppError('validation_failed', `${kind}_at is not an instant`);
          times[kind] = parsed.epochMs;
        }
        changes[kind] = value === null ? null : new Date(times[kind]!).toISOString();
      }
      const problem = checkTimeline(times, now, this.clockSkewMs);
      if (problem)
        throw new AppError(problem.code, problem.message, [
          {
            field: problem.field === 'aware' ? 'detected_at' : `${problem.field}_at`,
            code: problem.code === 'time_in_future' ? 'time_in_future' : 'invalid_value',
            message: problem.message,
          },
        ]);
      const givenAt = new Date(now).toISOString();
      for (const [kind, at] of Object.entries(changes)) {
        await trx
          .deleteFrom('incident_times')
          .where('incident_id', '=', id)
          .where('kind', '=', kind)
          .execute();
        if (at !== null)
          await trx
            .insertInto('incident_times')
            .values({
              incident_id: id,
              kind,
              at,
              given_by: actor.userId > 0 ? actor.userId : null,
              given_at: givenAt,
            })
            .execute();
      }
      if (Object.keys(changes).length > 0)
        await this.audit.append(trx, whoOf(actor), {
          action: 'incident.times',
          objectType: 'incident',
          objectId: id,
          details: { changes },
        });
      return row;
    });
    return this.read(id, row);
  }
}
