import type { Kysely, Selectable } from 'kysely';
import type { LessonState } from '../../domain/lesson-workflow.js';
import type { DB } from '../../platform/db/schema.js';
import type { LessonTable } from '../../platform/db/schema-publication.js';
import type { LessonView } from './lesson.schema.js';

export type LessonRow = Selectable<LessonTable> & { author: string; incident_ids: number[] };

async function withLinks(db: Kysely<DB>, rows: Array<Selectable<LessonTable>>): Promise<LessonRow[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [links, authors] = await Promise.all([
    db
      .selectFrom('lesson_incidents')
      .selectAll()
      .where('lesson_id', 'in', ids)
      .orderBy('incident_id')
      .execute(),
    db
      .selectFrom('users')
      .select(['id', 'email'])
      .where(
        'id',
        'in',
        rows.map((r) => r.author_id),
      )
      .execute(),
  ]);
  const email = new Map(authors.map((a) => [a.id, a.email]));
  return rows.map((r) => ({
    ...r,
    author: email.get(r.author_id) ?? '',
    incident_ids: links.filter((l) => l.lesson_id === r.id).map((l) => l.incident_id),
  }));
}

export async function findLesson(db: Kysely<DB>, id: number): Promise<LessonRow | undefined> {
  const row = await db.selectFrom('lessons').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withLinks(db, [row]))[0] : undefined;
}

export async function listLessons(
  db: Kysely<DB>,
  where: { fy: number; quarter: number; states?: readonly LessonState[]; clearOnly?: boolean },
): Promise<LessonRow[]> {
  let query = db
    .selectFrom('lessons')
    .selectAll()
    .where('fiscal_year', '=', where.fy)
    .where('quarter', '=', where.quarter);
  if (where.states) query = query.where('state', 'in', [...where.states]);
  if (where.clearOnly) query = query.where('tlp', '=', 'CLEAR');
  return withLinks(db, await query.orderBy('id').execute());
}

export async function setLinks(
  trx: Kysely<DB>,
  lessonId: number,
  incidentIds: readonly number[],
): Promise<void> {
  await trx.deleteFrom('lesson_incidents').where('lesson_id', '=', lessonId).execute();
  const unique = [...new Set(incidentIds)];
  if (unique.length > 0)
    await trx
      .insertInto('lesson_incidents')
      .values(unique.map((incident_id) => ({ lesson_id: lessonId, incident_id })))
      .execute();
}

export function lessonView(row: LessonRow, findings: LessonView['findings']): LessonView {
  return {
    id: row.id,
    fiscal_year: row.fiscal_year,
    quarter: row.quarter,
    heading: { ja: row.heading_ja, en: row.heading_en },
    body: { ja: row.body_ja, en: row.body_en },
    tlp: row.tlp,
    state: row.state as LessonState,
    author_id: row.author_id,
    author: row.author,
    approved_by: row.approved_by,
    approved_at: row.approved_at,
    published_at: row.published_at,
    revision: row.revision,
    incident_ids: row.incident_ids,
    findings,
    updated_at: row.updated_at,
  };
}
