import type { Actor } from '../../access/index.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { ListFilterQuery } from './incident.list.js';
import { filterOf } from './incident.list.js';
import type { SavedFilter } from './saved-filter.schema.js';
import { MAX_SAVED_FILTERS } from './saved-filter.schema.js';

const asView = (row: { id: number; name: string; filter: string; created_at: string }): SavedFilter => ({
  id: row.id,
  name: row.name,
  filter: JSON.parse(row.filter) as Record<string, string>,
  created_at: row.created_at,
});

/**
 * Each user's saved list filters: created, listed and deleted by that user alone. Every query is
 * by the caller's own user id, so another user's filter is exactly as missing as one never made.
 */
export class SavedFilterService {
  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor): Promise<SavedFilter[]> {
    const rows = await this.database.db
      .selectFrom('saved_filters')
      .select(['id', 'name', 'filter', 'created_at'])
      .where('user_id', '=', actor.userId)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map(asView);
  }

  async create(actor: Actor, input: { name: string; filter: ListFilterQuery }): Promise<SavedFilter> {
    // A filter the caller could not list with (another lifecycle state than its own role lists, a
    // quarter without a year) is refused now, not when it is used.
    filterOf(input.filter, this.calendar, actor);
    const filter = Object.fromEntries(
      Object.entries(input.filter)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [key, String(value)]),
    );
    return inTransaction(this.database, async (trx) => {
      // The user's row, locked: two saves at once by one user are counted and named one after the other.
      await this.database.dialect
        .forUpdate(trx.selectFrom('users').select('id').where('id', '=', actor.userId))
        .execute();
      const mine = await trx
        .selectFrom('saved_filters')
        .select('name')
        .where('user_id', '=', actor.userId)
        .execute();
      if (mine.some((row) => row.name === input.name))
        throw new AppError('conflict', 'you have a saved filter of this name', [
          { field: 'name', code: 'duplicate_value', message: 'choose another name, or delete the other one' },
        ]);
      if (mine.length >= MAX_SAVED_FILTERS)
        throw new AppError('conflict', `at most ${MAX_SAVED_FILTERS} saved filters`, [
          { field: 'name', code: 'invalid_value', message: 'delete one you no longer use' },
        ]);
      const row = {
        user_id: actor.userId,
        name: input.name,
        filter: JSON.stringify(filter),
        created_at: new Date().toISOString(),
      };
      const { id } = await trx
        .insertInto('saved_filters')
        .values(row)
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.audit.append(trx, whoOf(actor), {
        action: 'saved_filter.create',
        objectType: 'saved_filter',
        objectId: id,
        details: { name: input.name, filter },
      });
      return asView({ id, ...row });
    });
  }

  async delete(actor: Actor, id: number): Promise<void> {
    await inTransaction(this.database, async (trx) => {
      const row = await trx
        .deleteFrom('saved_filters')
        .where('id', '=', id)
        .where('user_id', '=', actor.userId)
        .returning('name')
        .executeTakeFirst();
      // Someone else's filter answers like a missing one.
      if (!row) throw notFound('saved filter');
      await this.audit.append(trx, whoOf(actor), {
        action: 'saved_filter.delete',
        objectType: 'saved_filter',
        objectId: id,
        details: { name: row.name },
      });
    });
  }
}
