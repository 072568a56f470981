import { hostname } from 'node:os';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { AuditService } from '../audit/index.js';
import { cliWho } from '../audit/index.js';
import type { PullOptions, PullResult } from './taxii.client.js';
import { feedKeyOf, pullCollection } from './taxii.client.js';
import type { TaxiiStore } from './taxii.store.js';

/** A feed that only the CLI pulls (never due for the scheduler). */
const NEVER = '9999-12-31T23:59:59.999Z';
const LEASE_MS = 10 * 60_000;

export interface FeedConfig {
  name: string;
  url: string;
  collection: string;
  /** The environment variable holding `user:password` or a bearer token (never the secret itself). */
  credentialsRef?: string;
  intervalSeconds: number;
}

/** Credentials from a feed's reference: `user:password` is Basic, anything else a bearer token. */
function credentialsOf(
  ref: string | null,
  env: NodeJS.ProcessEnv,
): Pick<PullOptions, 'user' | 'password' | 'token'> {
  const value = ref ? env[ref] : undefined;
  if (!value) return {};
  const colon = value.indexOf(':');
  return colon > 0 ? { user: value.slice(0, colon), password: value.slice(colon + 1) } : { token: value };
}

/**
 * Remote TAXII collections pulled into local `feed:` collections: by the CLI at once, or by the
 * server on a schedule. Each feed is a job row with a lease: a puller takes it with a conditional
 * update (after FOR UPDATE SKIP LOCKED on PostgreSQL), so two processes never pull one feed at once.
 */
export class TaxiiFeeds {
  readonly owner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private readonly database: Database,
    private readonly store: TaxiiStore,
    private readonly audit: AuditService,
  ) {}

  /** The configured feeds, by name (what `kyoyu taxii feed list` prints). */
  list() {
    return this.database.db
      .selectFrom('taxii_feeds')
      .select([
        'name',
        'url',
        'collection_id',
        'interval_seconds',
        'last_run_at',
        'last_result',
        'next_run_at',
      ])
      .where('interval_seconds', '>', 0)
      .orderBy('name')
      .execute();
  }

  /** Adds or changes a configured feed; it is due at once. */
  async configure(feed: FeedConfig): Promise<void> {
    const row = {
      url: feed.url,
      collection_id: feed.collection,
      credentials_ref: feed.credentialsRef ?? null,
      interval_seconds: feed.intervalSeconds,
      next_run_at: feed.intervalSeconds > 0 ? new Date().toISOString() : NEVER,
    };
    await this.database.db
      .insertInto('taxii_feeds')
      .values({ name: feed.name, ...row })
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
  }

  /**
   * Takes the lease of one feed (by name, or the most overdue one): its row, or null when none is
   * free. One statement: the conditional update of a row picked by a subquery that, on PostgreSQL,
   * passes over rows another puller holds (FOR UPDATE SKIP LOCKED); on SQLite the one writer at a
   * time and the update's own condition decide.
   */
  async claim(owner: string, name?: string, now = new Date()) {
    const at = now.toISOString();
    const db = this.database.db;
    let pick = db
      .selectFrom('taxii_feeds')
      .select('id')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]));
    pick =
      name === undefined
        ? pick.where('next_run_at', '<=', at).orderBy('next_run_at')
        : pick.where('name', '=', name);
    const row = await db
      .updateTable('taxii_feeds')
      .set({ lease_until: new Date(now.getTime() + LEASE_MS).toISOString(), lease_by: owner })
      .where('id', '=', this.database.dialect.forUpdateSkipLocked(pick.limit(1)))
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** Pulls a claimed feed and gives its lease back with the new cursor (also after a failure). */
  private async pullClaimed(
    row: NonNullable<Awaited<ReturnType<TaxiiFeeds['claim']>>>,
    credentials: Pick<PullOptions, 'user' | 'password' | 'token'>,
  ): Promise<PullResult> {
    const key = feedKeyOf(row.url, row.collection_id);
    const release = (result: string, cursor?: string | null) =>
      this.database.db
        .updateTable('taxii_feeds')
        .set({
          lease_until: null,
          lease_by: null,
          last_run_at: new Date().toISOString(),
          last_result: result,
          next_run_at:
            row.interval_seconds > 0
              ? new Date(Date.now() + row.interval_seconds * 1000).toISOString()
              : NEVER,
          ...(cursor !== undefined ? { added_after: cursor } : {}),
        })
        .where('id', '=', row.id)
        .execute();
    try {
      await this.store.collection(this.database.db, key);
      const result = await pullCollection(
        { url: row.url, collection: row.collection_id, ...credentials },
        row.added_after,
        (objects, cursor) =>
          inTransaction(this.database, async (trx) => {
            const added = await this.store.addObjects(trx, key, objects);
            await trx
              .updateTable('taxii_feeds')
              .set({ added_after: cursor })
              .where('id', '=', row.id)
              .execute();
            await this.audit.append(trx, cliWho(`taxii pull ${row.name}`), {
              action: 'taxii.pull',
              objectType: 'taxii_collection',
              objectId: key,
              details: {
                received: objects.length,
                new: added.added.length,
                failed: added.failures.length,
                cursor,
              },
            });
            return added.added.length;
          }),
      );
      await release(`fetched ${result.fetched}, new ${result.new}`, result.cursor);
      return result;
    } catch (error) {
      await release(`failed: ${(error as Error).message}`.slice(0, 500));
      throw error;
    }
  }

  /** `kyoyu taxii pull`: the feed of this URL and collection, pulled now (null: another process is). */
  async pullNow(options: PullOptions): Promise<PullResult | null> {
    const name = `${new URL(options.url).host}/${options.collection}`;
    const existing = await this.database.db
      .selectFrom('taxii_feeds')
      .select('interval_seconds')
      .where('name', '=', name)
      .executeTakeFirst();
    if (!existing)
      await this.configure({ name, url: options.url, collection: options.collection, intervalSeconds: 0 });
    const row = await this.claim(this.owner, name);
    if (!row) return null;
    return this.pullClaimed({ ...row, url: options.url }, options);
  }

  /** The scheduler's turn: pulls every due feed this process can take; the results by feed name. */
  async runDue(
    env: NodeJS.ProcessEnv = process.env,
    owner = this.owner,
  ): Promise<Record<string, PullResult | string>> {
    const results: Record<string, PullResult | string> = {};
    for (;;) {
      const row = await this.claim(owner);
      if (!row) return results;
      try {
        results[row.name] = await this.pullClaimed(row, credentialsOf(row.credentials_ref, env));
      } catch (error) {
        results[row.name] = `failed: ${(error as Error).message}`;
      }
    }
  }
}
