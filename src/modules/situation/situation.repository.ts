import type { Kysely, Selectable } from 'kysely';
import type { SituationSection, SituationSource } from '../../domain/situation.js';
import { normalUrl } from '../../domain/situation.js';
import type { DB } from '../../platform/db/schema.js';
import type { SituationItemTable } from '../../platform/db/schema-publication.js';
import type { SituationItemView } from './situation.schema.js';

/** Part 1's rows: an item with its sources in order. */

export type ItemRow = Omit<Selectable<SituationItemTable>, 'id'>;

function viewOf(row: Selectable<SituationItemTable>, sources: SituationSource[]): SituationItemView {
  return {
    id: row.id,
    section: row.section as SituationSection,
    event_date: row.event_date,
    fiscal_year: row.fiscal_year,
    quarter: row.quarter,
    title: { ja: row.title_ja, en: row.title_en },
    summary: { ja: row.summary_ja, en: row.summary_en },
    tags: JSON.parse(row.tags) as SituationItemView['tags'],
    tlp: row.tlp,
    state: row.state as SituationItemView['state'],
    origin: row.origin as SituationItemView['origin'],
    origin_url: row.origin_url,
    revision: row.revision,
    sources,
    updated_at: row.updated_at,
  };
}

async function withSources(
  db: Kysely<DB>,
  rows: Array<Selectable<SituationItemTable>>,
): Promise<SituationItemView[]> {
  if (rows.length === 0) return [];
  const sources = await db
    .selectFrom('situation_sources')
    .selectAll()
    .where(
      'item_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('item_id')
    .orderBy('position')
    .execute();
  const byItem = new Map<number, SituationSource[]>();
  for (const { item_id, position: _position, ...source } of sources) {
    let list = byItem.get(item_id);
    if (!list) byItem.set(item_id, (list = []));
    list.push(source);
  }
  return rows.map((r) => viewOf(r, byItem.get(r.id) ?? []));
}

export async function findItem(db: Kysely<DB>, id: number): Promise<SituationItemView | undefined> {
  const row = await db.selectFrom('situation_items').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withSources(db, [row]))[0] : undefined;
}

export async function listItems(
  db: Kysely<DB>,
  where: { fy: number; quarter: number; state?: string | undefined; clearOnly?: boolean },
): Promise<SituationItemView[]> {
  let query = db
    .selectFrom('situation_items')
    .selectAll()
    .where('fiscal_year', '=', where.fy)
    .where('quarter', '=', where.quarter);
  if (where.state) query = query.where('state', '=', where.state);
  if (where.clearOnly) query = query.where('tlp', '=', 'CLEAR');
  const rows = await query.orderBy('event_date').orderBy('id').execute();
  return withSources(db, rows);
}

async function writeSources(
  trx: Kysely<DB>,
  itemId: number,
  sources: readonly SituationSource[],
): Promise<void> {
  await trx.deleteFrom('situation_sources').where('item_id', '=', itemId).execute();
  if (sources.length === 0) return;
  await trx
    .insertInto('situation_sources')
    .values(sources.map((s, position) => ({ item_id: itemId, position, ...s })))
    .execute();
}

export async function insertItem(
  trx: Kysely<DB>,
  row: ItemRow,
  sources: readonly SituationSource[],
): Promise<number> {
  const { id } = await trx
    .insertInto('situation_items')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeSources(trx, id, sources);
  return id;
}

export async function updateItem(
  trx: Kysely<DB>,
  id: number,
  row: Partial<ItemRow>,
  sources: readonly SituationSource[],
): Promise<void> {
  await trx.updateTable('situation_items').set(row).where('id', '=', id).execute();
  await writeSources(trx, id, sources);
}

/** Of these URLs, the ones an item already came from or cites (compared in their normal form). */
export async function knownUrls(db: Kysely<DB>, urls: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(urls.map(normalUrl))];
  if (wanted.length === 0) return new Set();
  const [origins, cited] = await Promise.all([
    db.selectFrom('situation_items').select('origin_url as url').where('origin_url', 'in', wanted).execute(),
    db.selectFrom('situation_sources').select('url').where('url', 'in', wanted).execute(),
  ]);
  return new Set([...origins, ...cited].map((r) => normalUrl(r.url ?? '')));
}
