import type { Kysely } from 'kysely';
import { LIFECYCLE_ACTIONS } from '../../domain/lifecycle.js';
import type { DB } from '../../platform/db/schema.js';

/** Audit actions that change what an incident's STIX objects say, or who may receive them. */
const CHANGES = new Set([
  'incident.create',
  'incident.report',
  'incident.classify',
  'incident.classification_clear',
  'incident.indicators_adopt',
  ...LIFECYCLE_ACTIONS.map((a) => `incident.${a}`),
]);
/** Batch entries (an import, a load without a caller) that list the incidents they created or reported on. */
const BATCHES = new Set(['incidents.load', 'import.file']);

/** Entries read per chain per run: a run's memory and time stay bounded; the next run goes on. */
const ENTRIES_PER_CHAIN = 2000;

/** Marks GREEN and CLEAR reach every operator and desk; only CLEAR is for the public collection. */
const SECTOR_TLPS = new Set(['CLEAR', 'GREEN']);

export interface PublishTarget {
  key: string;
}

/** Where the publisher stopped in one chain: entries up to `seq` done, and `skip` ids of the next. */
export interface FeedPosition {
  seq: number;
  skip: number;
}

/** Where the publisher stopped reading, per audit chain (absent: from the start). */
export async function readCursors(db: Kysely<DB>, chains: number): Promise<Map<number, FeedPosition>> {
  const rows = await db.selectFrom('taxii_publish_cursors').select(['chain', 'seq', 'skip']).execute();
  const cursors = new Map<number, FeedPosition>();
  for (let chain = 0; chain < chains; chain++) cursors.set(chain, { seq: 0, skip: 0 });
  for (const r of rows) cursors.set(Number(r.chain), { seq: Number(r.seq), skip: Number(r.skip) });
  return cursors;
}

/** The positions after a run (only ever forward: a slower process publishing at once moves none back). */
export async function saveCursors(trx: Kysely<DB>, next: ReadonlyMap<number, FeedPosition>): Promise<void> {
  for (const [chain, { seq, skip }] of next)
    await trx
      .insertInto('taxii_publish_cursors')
      .values({ chain, seq, skip })
      .onConflict((oc) =>
        oc
          .column('chain')
          .doUpdateSet({ seq, skip })
          .where((eb) =>
            eb.or([
              eb('taxii_publish_cursors.seq', '<', seq),
              eb.and([
                eb('taxii_publish_cursors.seq', '=', seq),
                eb('taxii_publish_cursors.skip', '<', skip),
              ]),
            ]),
          ),
      )
      .execute();
}

const rangesOf = (value: unknown): Array<[number, number]> =>
  Array.isArray(value)
    ? value.filter(
        (r): r is [number, number] =>
          Array.isArray(r) && r.length === 2 && Number.isInteger(r[0]) && Number.isInteger(r[1]),
      )
    : [];

/**
 * The incidents an entry changed, as sorted disjoint id ranges (none: it changed no incident). An
 * import lists a million incidents as a few ranges: they are never expanded whole.
 */
function rangesOfEntry(e: {
  action: string;
  object_type: string | null;
  object_id: string | null;
  details: string | null;
}): Array<[number, number]> {
  if (e.object_type === 'incident' && CHANGES.has(e.action) && e.object_id) {
    const id = Number(e.object_id);
    return [[id, id]];
  }
  if (!BATCHES.has(e.action) || !e.details) return [];
  const details = JSON.parse(e.details) as { created_ids?: unknown; reported_ids?: unknown };
  const all = [...rangesOf(details.created_ids), ...rangesOf(details.reported_ids)].sort(
    (a, b) => a[0] - b[0],
  );
  const merged: Array<[number, number]> = [];
  for (const [first, last] of all) {
    const top = merged.at(-1);
    if (top && first <= top[1] + 1) top[1] = Math.max(top[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

/** `count` ids of the ranges from the `from`-th on, and how many the ranges hold in all. */
function sliceOfRanges(ranges: ReadonlyArray<[number, number]>, from: number, count: number) {
  const ids: number[] = [];
  let skip = from;
  let total = 0;
  for (const [first, last] of ranges) {
    const size = last - first + 1;
    total += size;
    if (skip >= size) {
      skip -= size;
      continue;
    }
    for (let id = first + skip; id <= last && ids.length < count; id++) ids.push(id);
    skip = 0;
  }
  return { ids, total };
}

/**
 * At most `budget` incidents changed since the cursors, from the audit trail, and the cursors
 * after them. Each chain's entries commit in their order (an append holds the chain's head until
 * commit), so no entry can appear later behind a position already read.
 */
export async function changedIncidents(
  db: Kysely<DB>,
  cursors: ReadonlyMap<number, FeedPosition>,
  budget: number,
): Promise<{ ids: number[]; next: Map<number, FeedPosition>; more: boolean }> {
  const ids = new Set<number>();
  let more = false;
  const next = new Map<number, FeedPosition>();
  let left = budget;
  for (const [chain, at] of cursors) {
    if (left <= 0) {
      more = true;
      break;
    }
    const entries = await db
      .selectFrom('audit_log')
      .select(['seq', 'action', 'object_type', 'object_id', 'details'])
      .where('chain', '=', chain)
      .where('seq', '>', at.seq)
      .orderBy('seq')
      .limit(ENTRIES_PER_CHAIN)
      .execute();
    let position = at;
    for (const [n, e] of entries.entries()) {
      const from = n === 0 ? at.skip : 0;
      const { ids: taken, total } = sliceOfRanges(rangesOfEntry(e), from, left);
      for (const id of taken) ids.add(id);
      left -= taken.length;
      if (from + taken.length < total) {
        more = true;
        position = { seq: position.seq, skip: from + taken.length };
        break;
      }
      position = { seq: Number(e.seq), skip: 0 };
    }
    if (entries.length === ENTRIES_PER_CHAIN) more = true;
    if (position !== at) next.set(chain, position);
  }
  return { ids: [...ids].sort((a, b) => a - b), next, more };
}

/**
 * The collections each incident goes to, by the access rule's notions (src/access/collections.ts
 * says who reads each): its organisation's (read by that organisation and the center) for every
 * operator report; its sector's (the sector's desks and operators) for a GREEN or CLEAR one; the
 * public (every signed-in caller) for a CLEAR one. An addressed record reaches named members only,
 * so it goes to its organisation's collection alone. What the publisher may not read goes nowhere.
 */
export async function targetsOf(
  db: Kysely<DB>,
  ids: readonly number[],
): Promise<Map<number, PublishTarget[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('incidents')
    .select(['id', 'channel', 'organization_id', 'sector', 'tlp', 'audience'])
    .where('id', 'in', ids)
    .execute();
  const targets = new Map<number, PublishTarget[]>();
  for (const r of rows) {
    if (r.channel !== 'operator_report' || r.organization_id === null) continue;
    const keys = [`org:${r.organization_id}`];
    if (r.audience === 'community' && SECTOR_TLPS.has(r.tlp) && r.sector) keys.push(`sector:${r.sector}`);
    if (r.audience === 'community' && r.tlp === 'CLEAR') keys.push('public');
    targets.set(
      r.id,
      keys.map((key) => ({ key })),
    );
  }
  return targets;
}
