import { randomUUID } from 'node:crypto';
import type { Actor } from '../../access/index.js';
import { canReadCollection, canWriteCollection, collectionVisible } from '../../access/index.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors.js';
import type { Lang } from '../../platform/http/messages.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { CollectionResource, ObjectsQuery, StatusResource } from './taxii.schema.js';
import { STIX_MEDIA_TYPE } from './taxii.schema.js';
import { collectionIdOf, encodeNext } from './taxii.ids.js';
import { deleteFilterOf, filterOf } from './taxii.filter.js';
import type { CollectionRow, ObjectRow } from './taxii.repository.js';
import {
  allCollections,
  collectionById,
  deleteVersions,
  objectPage,
  readObjectPage,
} from './taxii.repository.js';
import type { TaxiiStore } from './taxii.store.js';

/** A page and the dates of its first and last object (the X-TAXII-Date-Added-* headers, §5.3). */
export interface Page<T> {
  body: T;
  first?: string;
  last?: string;
}

/** Enough for every audience's collection of a large installation; past it, rows are read each time. */
const KNOWN_COLLECTIONS = 10_000;

/** The TAXII server's reads and writes for one caller; who may do what is src/access/collections.ts. */
export class TaxiiService {
  /**
   * Collections read before, by id: a collection's row is written once and never changed or
   * removed (its id follows from its key), so a page costs one query, not two. Only rows read
   * outside any transaction (committed) enter; an unknown id is looked up every time.
   */
  private readonly known = new Map<string, CollectionRow>();

  constructor(
    private readonly database: Database,
    private readonly store: TaxiiStore,
    private readonly audit: AuditService,
  ) {}

  private resource(actor: Actor, row: CollectionRow, lang: Lang): CollectionResource {
    return {
      id: row.id,
      title: lang === 'en' ? row.title_en : row.title_ja,
      ...(row.description ? { description: row.description } : {}),
      alias: row.key,
      can_read: canReadCollection(actor, row.key),
      can_write: canWriteCollection(actor, row.key),
      media_types: [STIX_MEDIA_TYPE],
    };
  }

  /** §5.1: the collections the caller reads or writes; the others are not listed. */
  async collections(actor: Actor, lang: Lang): Promise<{ collections?: CollectionResource[] }> {
    await this.store.ensureAudienceCollections(this.database.db);
    const rows = (await allCollections(this.database.db)).filter((r) => collectionVisible(actor, r.key));
    return rows.length === 0 ? {} : { collections: rows.map((r) => this.resource(actor, r, lang)) };
  }

  /** A collection the caller may not see answers exactly as a missing one (404). */
  private async visible(actor: Actor, id: string): Promise<CollectionRow> {
    const row =
      this.known.get(id) ??
      (await collectionById(this.database.db, id)) ??
      (await this.organizationCollection(actor, id));
    if (row && this.known.size < KNOWN_COLLECTIONS) this.known.set(id, row);
    if (!row || !collectionVisible(actor, row.key)) throw new AppError('not_found', 'no such collection');
    return row;
  }

  /**
   * An organisation registered since the collections were last listed has its collection made on
   * first use, only for a caller who may see it: a refused request creates nothing.
   */
  private async organizationCollection(actor: Actor, id: string): Promise<CollectionRow | undefined> {
    const orgs = await this.database.db.selectFrom('organizations').select('id').execute();
    const key = orgs.map((o) => `org:${o.id}`).find((k) => collectionIdOf(k) === id);
    return key && collectionVisible(actor, key) ? this.store.collection(this.database.db, key) : undefined;
  }

  async collection(actor: Actor, id: string, lang: Lang): Promise<CollectionResource> {
    return this.resource(actor, await this.visible(actor, id), lang);
  }

  private async readable(actor: Actor, id: string): Promise<CollectionRow> {
    const row = await this.visible(actor, id);
    if (!canReadCollection(actor, row.key))
      throw new AppError('forbidden', 'this collection is write-only for you');
    return row;
  }

  /**
   * A page answered, recorded in the audit trail as the incident list's pages are (who read which
   * collection, what and how much): a collection holds records. Only once the answer is decided: a
   * refused read (a missing object's 404) changes nothing.
   */
  private recordRead(
    actor: Actor,
    endpoint: 'objects' | 'manifest' | 'versions',
    row: CollectionRow,
    page: { body: readonly unknown[]; more: boolean },
    stixId?: string,
  ): Promise<void> {
    return this.audit.record(whoOf(actor), {
      action: 'taxii.read',
      objectType: 'taxii_collection',
      objectId: row.key,
      details: {
        endpoint,
        ...(stixId ? { object: stixId } : {}),
        returned: page.body.length,
        more: page.more,
      },
    });
  }

  /** A page of a collection the caller reads. */
  private async page(
    row: CollectionRow,
    query: ObjectsQuery,
    stixId?: string,
  ): Promise<Page<ObjectRow[]> & { more: boolean; next?: string }> {
    const filter = filterOf(row.id, query, stixId);
    const rows = await readObjectPage(this.database, filter);
    const more = rows.length > filter.limit;
    const body = more ? rows.slice(0, filter.limit) : rows;
    const tail = body.at(-1);
    return {
      body,
      more,
      ...(more && tail ? { next: encodeNext(tail.date_added, tail.id) } : {}),
      first: body[0]?.date_added,
      last: tail?.date_added,
    };
  }

  /**
   * §5.4 Get Objects (and §5.6 Get an Object with `stixId`: 404 when nothing matches), as the
   * envelope's JSON text: each object is kept as the JSON text it was added as, so a page is those
   * texts joined, not parsed and serialised again (which cost more than reading them).
   */
  async objects(actor: Actor, id: string, query: ObjectsQuery, stixId?: string): Promise<Page<string>> {
    const row = await this.readable(actor, id);
    const page = await this.page(row, query, stixId);
    if (stixId && page.body.length === 0 && query.next === undefined)
      throw new AppError('not_found', 'no such object in this collection');
    await this.recordRead(actor, 'objects', row, page, stixId);
    const head = JSON.stringify({ more: page.more, ...(page.next ? { next: page.next } : {}) });
    const body =
      page.body.length === 0
        ? '{}'
        : `${head.slice(0, -1)},"objects":[${page.body.map((r) => r.object).join(',')}]}`;
    return { body, first: page.first, last: page.last };
  }

  /** §5.3 Get Object Manifests. */
  async manifest(actor: Actor, id: string, query: ObjectsQuery) {
    const row = await this.readable(actor, id);
    const page = await this.page(row, query);
    await this.recordRead(actor, 'manifest', row, page);
    const objects = page.body.map((r) => ({
      id: r.stix_id,
      date_added: r.date_added,
      version: r.version,
      media_type: `application/stix+json;version=${r.spec_version}`,
    }));
    const body =
      objects.length === 0 ? {} : { more: page.more, ...(page.next ? { next: page.next } : {}), objects };
    return { body, first: page.first, last: page.last };
  }

  /** §5.8 Get Object Versions: every version, oldest added first. */
  async versions(actor: Actor, id: string, stixId: string, query: ObjectsQuery) {
    const row = await this.readable(actor, id);
    const page = await this.page(row, { ...query, 'match[version]': 'all' }, stixId);
    if (page.body.length === 0 && query.next === undefined)
      throw new AppError('not_found', 'no such object in this collection');
    await this.recordRead(actor, 'versions', row, page, stixId);
    const versions = page.body.map((r) => r.version);
    return {
      body: { more: page.more, ...(page.next ? { next: page.next } : {}), versions },
      first: page.first,
      last: page.last,
    };
  }

  /** §5.5 Add Objects: stored at once, so the status is complete when it is answered (202). */
  async add(actor: Actor, id: string, body: unknown): Promise<StatusResource> {
    const objects = (body as { objects?: unknown } | null)?.objects;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(objects))
      throw new AppError(
        'unprocessable',
        'the body is not a TAXII envelope (an object with an objects array)',
      );
    const row = await this.visible(actor, id);
    if (!canWriteCollection(actor, row.key))
      throw new AppError('forbidden', 'you may not add to this collection');
    const requested = new Date().toISOString();
    return inTransaction(this.database, async (trx) => {
      const result = await this.store.addTo(trx, row, objects);
      const status: StatusResource = {
        id: randomUUID(),
        status: 'complete',
        request_timestamp: requested,
        total_count: objects.length,
        success_count: result.successes.length,
        successes: result.successes,
        failure_count: result.failures.length,
        failures: result.failures,
        pending_count: 0,
        pendings: [],
      };
      await trx
        .insertInto('taxii_status')
        .values({
          id: status.id,
          collection_id: row.id,
          user_id: actor.userId,
          status: status.status,
          request_timestamp: requested,
          total_count: status.total_count,
          success_count: status.success_count,
          failure_count: status.failure_count,
          pending_count: 0,
          successes: JSON.stringify(status.successes),
          failures: JSON.stringify(status.failures),
          pendings: '[]',
        })
        .execute();
      await this.audit.append(trx, whoOf(actor), {
        action: 'taxii.add',
        objectType: 'taxii_collection',
        objectId: row.key,
        details: {
          status_id: status.id,
          total: objects.length,
          new: result.added.length,
          failed: result.failures.length,
        },
      });
      return status;
    });
  }

  /** §5.7 Delete an Object: the matching versions (all unless match[version] says), by who writes and reads. */
  async delete(actor: Actor, id: string, stixId: string, query: ObjectsQuery): Promise<void> {
    const row = await this.readable(actor, id);
    if (!canWriteCollection(actor, row.key))
      throw new AppError('forbidden', 'you may not delete from this collection');
    await inTransaction(this.database, async (trx) => {
      const filter = deleteFilterOf(row.id, stixId, query);
      const rows = await objectPage(trx, filter);
      if (rows.length === 0) throw new AppError('not_found', 'no such object in this collection');
      const deleted = await deleteVersions(
        trx,
        row.id,
        stixId,
        rows.map((r) => r.id),
      );
      await this.audit.append(trx, whoOf(actor), {
        action: 'taxii.delete',
        objectType: 'taxii_collection',
        objectId: row.key,
        details: { stix_id: stixId, versions: deleted },
      });
    });
  }

  /** §4.3 Get Status: the caller's own adds (the center's: every add). */
  async status(actor: Actor, statusId: string): Promise<StatusResource> {
    const row = await this.database.db
      .selectFrom('taxii_status')
      .selectAll()
      .where('id', '=', statusId)
      .executeTakeFirst();
    const center = actor.role === 'center_analyst' || actor.role === 'admin';
    if (!row || (row.user_id !== actor.userId && !center)) throw new AppError('not_found', 'no such status');
    return {
      id: row.id,
      status: row.status === 'pending' ? 'pending' : 'complete',
      request_timestamp: row.request_timestamp,
      total_count: row.total_count,
      success_count: row.success_count,
      successes: JSON.parse(row.successes) as StatusResource['successes'],
      failure_count: row.failure_count,
      failures: JSON.parse(row.failures) as StatusResource['failures'],
      pending_count: row.pending_count,
      pendings: JSON.parse(row.pendings) as StatusResource['pendings'],
    };
  }
}
