import type { Kysely } from 'kysely';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { audienceOf } from '../../access/index.js';
import type { DB } from '../../platform/db/schema.js';
import type { StatusDetails, StixObject } from './taxii.schema.js';
import { STIX_ID, collectionIdOf, normalTimestamp } from './taxii.ids.js';
import type { CollectionRow } from './taxii.repository.js';
import { collectionByKey } from './taxii.repository.js';

/**
 * Called in the adding transaction with the objects that were new to a collection that takes in
 * intelligence (the center's inbox, a feed): the integrator connects the STIX import here
 * (`importObjects(trx, objects, source)` of src/modules/stix).
 */
export type ObjectsAddedHook = (trx: Kysely<DB>, objects: StixObject[], source: string) => Promise<unknown>;

export interface AddResult {
  successes: StatusDetails[];
  failures: StatusDetails[];
  /** The objects stored for the first time (a version already held is a success, not new). */
  added: StixObject[];
}

const CHUNK = 500;
const ANONYMISED_KINDS = new Set(['public', 'sector']);

/** Why an object cannot be stored, or null: TAXII stores STIX objects, each with a type and an id. */
function refusal(o: unknown): string | null {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'not a JSON object';
  const { type, id } = o as { type?: unknown; id?: unknown };
  if (typeof type !== 'string' || typeof id !== 'string') return 'an object needs a type and an id';
  const match = STIX_ID.exec(id);
  if (!match || match[1] !== type) return 'the id is not <type>--<UUID> of the object’s type';
  return null;
}

/** The object's version (§3.5.1.3): modified, else created, else the date it was added. */
function versionOf(o: StixObject, dateAdded: string): string | null {
  const stamp = o.modified ?? o.created;
  return stamp === undefined ? dateAdded : normalTimestamp(stamp);
}

/** Where TAXII objects are kept: the collections' rows and the one write of objects into them. */
export class TaxiiStore {
  constructor(
    private readonly taxonomy: Taxonomy,
    private readonly onObjectsAdded?: ObjectsAddedHook,
  ) {}

  /** The collection of a key, created when it does not exist yet (an organisation's, a feed's). */
  async collection(db: Kysely<DB>, key: string, title?: { ja: string; en: string }): Promise<CollectionRow> {
    const existing = await collectionByKey(db, key);
    if (existing) return existing;
    const names = title ?? (await this.titleOf(db, key));
    await db
      .insertInto('taxii_collections')
      .values({
        id: collectionIdOf(key),
        key,
        title_ja: names.ja,
        title_en: names.en,
        description: null,
        // The policy of what the collection's readers get: the public and a sector's collection
        // reach beyond the reporting organisation, so its incidents go there anonymised.
        anonymise: ANONYMISED_KINDS.has(audienceOf(key)?.kind ?? '') ? 1 : 0,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await collectionByKey(db, key))!;
  }

  /**
   * Every audience's collection: public, the center's inbox, each sector, and (unless
   * `organizations` is false) each organisation. At start only the first three: a start must not
   * write what the data does not call for (a restored backup opens exactly as it was saved);
   * an organisation's collection is made when it is listed or first written to.
   */
  async ensureAudienceCollections(db: Kysely<DB>, { organizations = true } = {}): Promise<void> {
    const orgs = organizations ? await db.selectFrom('organizations').select('id').execute() : [];
    const keys = [
      'public',
      'center-inbox',
      ...this.taxonomy.data.sectors.map((s) => `sector:${s.code}`),
      ...orgs.map((o) => `org:${o.id}`),
    ];
    const have = new Set(
      (await db.selectFrom('taxii_collections').select('key').execute()).map((r) => r.key),
    );
    for (const key of keys) if (!have.has(key)) await this.collection(db, key);
  }

  private async titleOf(db: Kysely<DB>, key: string): Promise<{ ja: string; en: string }> {
    const audience = audienceOf(key);
    if (!audience) throw new Error(`not a collection key: ${key}`);
    switch (audience.kind) {
      case 'public':
        return { ja: '公開', en: 'Public' };
      case 'center-inbox':
        return { ja: 'センター受付', en: 'Center inbox' };
      case 'sector': {
        const sector = this.taxonomy.sector(audience.sector);
        return { ja: `${sector?.ja ?? audience.sector}分野`, en: `Sector: ${sector?.en ?? audience.sector}` };
      }
      case 'org': {
        const org = await db
          .selectFrom('organizations')
          .select('name')
          .where('id', '=', audience.organizationId)
          .executeTakeFirst();
        const name = org?.name ?? `#${audience.organizationId}`;
        return { ja: name, en: name };
      }
      case 'feed':
        return { ja: `フィード ${audience.name}`, en: `Feed ${audience.name}` };
    }
  }

  /**
   * Adds objects to the collection of a key, inside the caller's transaction (publishers call it
   * with their own write). Each version of an object is kept once; adding a held version again
   * succeeds and changes nothing, a deleted one comes back. All of one call share one date_added.
   */
  async addObjects(
    trx: Kysely<DB>,
    collectionKey: string,
    objects: readonly unknown[],
    sourceRef?: string,
  ): Promise<AddResult> {
    const collection = await this.collection(trx, collectionKey);
    return this.addTo(trx, collection, objects, sourceRef);
  }

  /**
   * Withdraws what the publisher added from one record (`sourceRef`) and no longer sends: every
   * object of that record, in any collection, whose (collection, id) is not in `keep`.
   */
  async withdrawSource(trx: Kysely<DB>, sourceRef: string, keep: ReadonlySet<string>): Promise<number> {
    const held = await trx
      .selectFrom('taxii_objects')
      .select(['id', 'collection_id', 'stix_id'])
      .where('source_ref', '=', sourceRef)
      .where('deleted', '=', 0)
      .execute();
    const gone = held.filter((r) => !keep.has(`${r.collection_id} ${r.stix_id}`)).map((r) => r.id);
    for (let i = 0; i < gone.length; i += CHUNK)
      await trx
        .updateTable('taxii_objects')
        .set({ deleted: 1 })
        .where('id', 'in', gone.slice(i, i + CHUNK))
        .execute();
    return gone.length;
  }

  /**
   * Withdraws every version of these objects from the collection of a key (a publisher whose
   * record no longer reaches the collection's readers): marked deleted, as a TAXII DELETE does.
   */
  async withdrawObjects(trx: Kysely<DB>, collectionKey: string, stixIds: readonly string[]): Promise<number> {
    if (stixIds.length === 0) return 0;
    const collection = await this.collection(trx, collectionKey);
    const result = await trx
      .updateTable('taxii_objects')
      .set({ deleted: 1 })
      .where('collection_id', '=', collection.id)
      .where('stix_id', 'in', stixIds)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async addTo(
    trx: Kysely<DB>,
    collection: CollectionRow,
    objects: readonly unknown[],
    sourceRef?: string,
  ): Promise<AddResult> {
    const dateAdded = new Date().toISOString();
    const successes: StatusDetails[] = [];
    const failures: StatusDetails[] = [];
    const rows: Array<{ object: StixObject; version: string }> = [];
    const seen = new Set<string>();
    for (const raw of objects) {
      const why = refusal(raw);
      const o = raw as StixObject;
      const version = why ? null : versionOf(o, dateAdded);
      if (why || version === null) {
        const id = typeof o?.id === 'string' ? o.id : '';
        failures.push({ id, version: '', message: why ?? 'modified or created is not a timestamp' });
      } else if (seen.has(`${o.id} ${version}`)) successes.push({ id: o.id, version });
      else {
        seen.add(`${o.id} ${version}`);
        rows.push({ object: o, version });
      }
    }
    const added: StixObject[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const inserted = await trx
        .insertInto('taxii_objects')
        .values(
          chunk.map(({ object, version }) => ({
            collection_id: collection.id,
            stix_id: object.id,
            version,
            type: object.type,
            spec_version: object.spec_version ?? '2.0',
            date_added: dateAdded,
            object: JSON.stringify(object),
            source_ref: sourceRef ?? null,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['collection_id', 'stix_id', 'version'])
            .doUpdateSet({ deleted: 0, date_added: dateAdded })
            .where('taxii_objects.deleted', '=', 1),
        )
        .returning(['stix_id', 'version'])
        .execute();
      const fresh = new Set(inserted.map((r) => `${r.stix_id} ${r.version}`));
      for (const { object, version } of chunk) {
        successes.push({ id: object.id, version });
        if (fresh.has(`${object.id} ${version}`)) added.push(object);
      }
    }
    const kind = audienceOf(collection.key)?.kind;
    if (this.onObjectsAdded && added.length > 0 && (kind === 'center-inbox' || kind === 'feed'))
      await this.onObjectsAdded(trx, added, `taxii:${collection.key}`);
    return { successes, failures, added };
  }
}
