import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: later changes are new migrations, never edits here.
// The center's review queue (not classified by the center yet, or reported on since it was) in
// newest-first order. Once the center keeps up, the queue is a small part of the incidents, and
// without this index listing it would read the whole time index to find them. The predicate is
// written exactly as the list query writes it (REVIEW_PENDING_SQL): both databases use a partial
// index only when the query's condition matches (implies) its predicate.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('incidents_review_time_idx')
    .on('incidents')
    .columns(['first_received_at', 'id'])
    .where(
      sql<boolean>`(channel = 'operator_report' and center_event is null) or updated_at > center_classified_at`,
    )
    .execute();
}
