import type { Expression, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import type { TaxiiCollectionTable } from '../../platform/db/schema-taxii.js';

export type CollectionRow = Omit<TaxiiCollectionTable, 'anonymise'> & { anonymise: number };

/** A page position: the last row served, in the one order (date_added, then the row id). */
export interface PagePosition {
  dateAdded: string;
  id: number;
}

/** `match[version]` (§3.5.1): `last` (the default), `first`, `all`, or exact versions; any mix. */
export interface VersionMatch {
  last: boolean;
  first: boolean;
  all: boolean;
  exact: string[];
}

export interface ObjectFilter {
  collectionId: string;
  addedAfter?: string;
  ids?: string[];
  types?: string[];
  versions: VersionMatch;
  specVersions?: string[];
  after?: PagePosition;
  limit: number;
}

export interface ObjectRow {
  id: number;
  stix_id: string;
  version: string;
  type: string;
  spec_version: string;
  date_added: string;
  object: string;
}

export async function collectionByKey(db: Kysely<DB>, key: string): Promise<CollectionRow | undefined> {
  return db.selectFrom('taxii_collections').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function collectionById(db: Kysely<DB>, id: string): Promise<CollectionRow | undefined> {
  return db.selectFrom('taxii_collections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function allCollections(db: Kysely<DB>): Promise<CollectionRow[]> {
  return db.selectFrom('taxii_collections').selectAll().orderBy('key').execute();
}

/**
 * One page of a collection's objects in the one stable order, one row more than asked (so the
 * caller knows whether there are more). The order is an index walk of (collection, date_added,
 * id); the version match is a correlated look-up on (collection, stix_id, version).
 */
function objectPageQuery(db: Kysely<DB>, filter: ObjectFilter) {
  let query = db
    .selectFrom('taxii_objects as o')
    .select(['o.id', 'o.stix_id', 'o.version', 'o.type', 'o.spec_version', 'o.date_added', 'o.object'])
    .where('o.collection_id', '=', filter.collectionId)
    .where('o.deleted', '=', 0);
  if (filter.addedAfter) query = query.where('o.date_added', '>', filter.addedAfter);
  if (filter.ids) query = query.where('o.stix_id', 'in', filter.ids);
  if (filter.types) query = query.where('o.type', 'in', filter.types);
  if (filter.specVersions) query = query.where('o.spec_version', 'in', filter.specVersions);
  const after = filter.after;
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple('o.date_added', 'o.id'), '>', eb.tuple(after.dateAdded, after.id)),
    );
  const versions = filter.versions;
  if (!versions.all)
    query = query.where((eb) => {
      const edge = (fn: 'max' | 'min') =>
        eb(
          'o.version',
          '=',
          eb
            .selectFrom('taxii_objects as v')
            .select((v) => v.fn[fn]<string>('v.version').as('edge'))
            .whereRef('v.collection_id', '=', 'o.collection_id')
            .whereRef('v.stix_id', '=', 'o.stix_id')
            .where('v.deleted', '=', 0),
        );
      const parts: Expression<SqlBool>[] = [];
      if (versions.last) parts.push(edge('max'));
      if (versions.first) parts.push(edge('min'));
      if (versions.exact.length > 0) parts.push(eb('o.version', 'in', versions.exact));
      return eb.or(parts);
    });
  return query
    .orderBy('o.date_added')
    .orderBy('o.id')
    .limit(filter.limit + 1);
}

/** A page inside the caller's transaction (a DELETE reads what it marks). */
export async function objectPage(trx: Kysely<DB>, filter: ObjectFilter): Promise<ObjectRow[]> {
  return objectPageQuery(trx, filter).execute();
}

/** A page read by a client: the one frequent read of TAXII, as a prepared statement. */
export async function readObjectPage(database: Database, filter: ObjectFilter): Promise<ObjectRow[]> {
  return database.dialect.readPrepared(database.db, objectPageQuery(database.db, filter).compile());
}

/** Marks the matching versions of one object deleted (§5.7); how many were. */
export async function deleteVersions(
  db: Kysely<DB>,
  collectionId: string,
  stixId: string,
  rowIds: readonly number[],
): Promise<number> {
  if (rowIds.length === 0) return 0;
  const result = await db
    .updateTable('taxii_objects')
    .set({ deleted: 1 })
    .where('collection_id', '=', collectionId)
    .where('stix_id', '=', stixId)
    .where('id', 'in', rowIds)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
