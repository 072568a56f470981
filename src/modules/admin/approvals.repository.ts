import type { Kysely, Selectable } from 'kysely';
import type { AdminApprovalTable, DB } from '../../platform/db/schema.js';
import type { Dialect } from '../../platform/db/dialect.js';

export type ApprovalRow = Selectable<AdminApprovalTable>;

/** The two-person rule's requests, with the e-mail addresses of the people involved. */
export class ApprovalRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: Omit<ApprovalRow, 'id' | 'status' | 'decided_by' | 'decided_at'>): Promise<number> {
    const inserted = await this.db
      .insertInto('admin_approvals')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  }

  /** The row, locked until the transaction ends on PostgreSQL (SQLite has one writer anyway). */
  /** With `lock`, the row is locked until commit (the dialect's row lock). */
  find(id: number, lock?: Pick<Dialect, 'forUpdate'>) {
    const query = this.db.selectFrom('admin_approvals').selectAll().where('id', '=', id);
    return (lock ? lock.forUpdate(query) : query).executeTakeFirst();
  }

  /** Marks a pending request decided; 0 when someone else decided it first. */
  async decide(id: number, status: 'approved' | 'rejected', by: number, at: string): Promise<number> {
    const result = await this.db
      .updateTable('admin_approvals')
      .set({ status, decided_by: by, decided_at: at })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The latest requests, newest first, with who asked, about whom, and who decided. */
  list(limit: number, id?: number) {
    let query = this.db
      .selectFrom('admin_approvals as a')
      .leftJoin('users as r', 'r.id', 'a.requested_by')
      .leftJoin('users as t', 't.id', 'a.target_user_id')
      .leftJoin('users as d', 'd.id', 'a.decided_by')
      .select([
        'a.id',
        'a.kind',
        'a.status',
        'a.payload',
        'a.target_user_id',
        't.email as target_email',
        'a.requested_by',
        'r.email as requested_by_email',
        'a.requested_at',
        'a.expires_at',
        'd.email as decided_by_email',
        'a.decided_at',
      ])
      .orderBy('a.id', 'desc')
      .limit(limit);
    if (id !== undefined) query = query.where('a.id', '=', id);
    return query.execute();
  }
}
