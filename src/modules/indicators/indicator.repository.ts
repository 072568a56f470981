import { audienceMembersSql } from '../../access/index.js';
import type { Kysely } from 'kysely';
import type { NormalIndicator } from '../../domain/indicator-input.js';
import type { Dialect } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import type { IncidentIndicatorTable } from '../../platform/db/schema-indicators.js';
import type { IndicatorSource } from './indicator.schema.js';

/** Queries of incident_indicators; the incidents and their texts are read here too, not through the incidents module. */

export type IndicatorRow = Omit<IncidentIndicatorTable, 'id'> & { id: number };
/** A row to insert, before its incident's id is known (a child of the new-record write). */
export type NewIndicatorRow = Omit<IndicatorRow, 'id' | 'incident_id'>;

export const keyOf = (i: { type: string; value: string }) => `${i.type}\u0000${i.value}`;

/**
 * The rows of normal-form indicators for a record: each marked as given, else with the record's
 * marking at the write.
 */
export function indicatorRows(
  indicators: readonly NormalIndicator[],
  recordTlp: string,
  source: IndicatorSource,
  createdBy: number | null,
  now: string,
): NewIndicatorRow[] {
  return indicators.map((i) => ({
    type: i.type,
    value: i.value,
    tlp: i.tlp ?? recordTlp,
    source,
    created_at: now,
    created_by: createdBy,
  }));
}

/** The indicators of some incidents, in the order stored. */
export function indicatorsOf(db: Kysely<DB>, incidentIds: readonly number[]): Promise<IndicatorRow[]> {
  if (incidentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('incident_indicators')
    .selectAll()
    .where('incident_id', 'in', incidentIds)
    .orderBy('incident_id')
    .orderBy('id')
    .execute();
}

/** Per incident, the (type, value) keys it already holds. */
export async function storedKeys(
  db: Kysely<DB>,
  incidentIds: readonly number[],
): Promise<Map<number, Set<string>>> {
  const out = new Map<number, Set<string>>();
  if (incidentIds.length === 0) return out;
  const rows = await db
    .selectFrom('incident_indicators')
    .select(['incident_id', 'type', 'value'])
    .where('incident_id', 'in', incidentIds)
    .execute();
  for (const r of rows) {
    const keys = out.get(r.incident_id) ?? new Set<string>();
    keys.add(keyOf(r));
    out.set(r.incident_id, keys);
  }
  return out;
}

const INCIDENT_COLUMNS = [
  'id',
  'organization_id',
  'tlp',
  'channel',
  'sector',
  'state',
  'audience',
  'description',
] as const;
interface IncidentForIndicators {
  id: number;
  organization_id: number | null;
  tlp: string;
  channel: string;
  sector: string | null;
  state: string;
  audience: string;
  audience_members?: string | null;
  description: string;
}

/** An incident as the access rule (with an addressed record's members) and the text search read it. */
export function incidentRow(
  db: Kysely<DB>,
  dialect: Dialect,
  id: number,
): Promise<IncidentForIndicators | undefined> {
  return db
    .selectFrom('incidents')
    .select(INCIDENT_COLUMNS)
    .select(audienceMembersSql(dialect).as('audience_members'))
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The same, inside a writing transaction, locked until commit (the dialect's row lock); without the
 * members, so an addressed record is seen only by its owner and the center (who alone may adopt).
 */
export async function lockedIncidentRow(
  trx: Kysely<DB>,
  dialect: Dialect,
  id: number,
): Promise<IncidentForIndicators | undefined> {
  const [row] = await dialect.rowsByKeys<IncidentForIndicators>(trx, 'incidents', 'id', [id], {
    columns: INCIDENT_COLUMNS,
    lock: true,
  });
  return row;
}

/** The texts of an incident's stage reports, oldest first. */
export function reportTexts(db: Kysely<DB>, incidentId: number) {
  return db
    .selectFrom('stage_reports')
    .select(['id', 'description'])
    .where('incident_id', '=', incidentId)
    .orderBy('id')
    .execute();
}
