import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { Actor } from '../../access/index.js';
import { canSee, seesAllRecords } from '../../access/index.js';
import type { AuditEntry } from './audit.chain.js';
import { AuditRepository } from './audit.repository.js';

/**
 * Who may read an entry's details. Every reader of the trail sees who did what to which object and
 * when; the details (refs, titles, classifications, search terms, filters) only where the reader may
 * see the record itself, through the same access rule as the incident routes. Searches and lists
 * (their query terms are the analysts' work) are shown in detail only to the center, as are entries
 * about incidents in general (no one record). A record that no longer exists is not seen either.
 * A withheld entry's hash is withheld too, and outside the center every prev_hash (the previous
 * entry's hash): with the hash and every other field, details from a small set (a classification, a
 * likely search term) could be found by trying each candidate.
 */

/** Actions whose details are a query (what someone searched for). */
const isQuery = (action: string) => action.endsWith('.list') || action.endsWith('.search');

export interface RedactedEntry extends Omit<AuditEntry, 'hash' | 'prev_hash'> {
  prev_hash: string | null;
  hash: string | null;
  /** True when the details are withheld from this reader (details and hash are then null). */
  details_hidden: boolean;
}

export async function redactEntries(
  db: Kysely<DB>,
  viewer: Actor | undefined,
  rows: readonly AuditEntry[],
): Promise<RedactedEntry[]> {
  // No viewer: the server's own operators (the CLI), who read the database anyway.
  if (!viewer) return rows.map((row) => ({ ...row, details_hidden: false }));
  const center = seesAllRecords(viewer);
  const incidentIds = [
    ...new Set(
      rows
        .filter((r) => r.object_type === 'incident' && r.object_id !== null && /^\d{1,10}$/.test(r.object_id))
        .map((r) => Number(r.object_id))
        .filter((id) => id <= 2 ** 31 - 1),
    ),
  ];
  const records = await new AuditRepository(db).incidentsForAccess(center ? [] : incidentIds);
  const visible = new Set(records.filter((r) => canSee(viewer, r)).map((r) => String(r.id)));
  const shown = (row: AuditEntry): boolean => {
    if (row.details === null || center) return true;
    if (isQuery(row.action)) return false;
    if (row.object_type !== 'incident') return true;
    return row.object_id !== null && visible.has(row.object_id);
  };
  return rows.map((row) =>
    shown(row)
      ? { ...row, prev_hash: center ? row.prev_hash : null, details_hidden: false }
      : { ...row, details: null, hash: null, prev_hash: null, details_hidden: true },
  );
}
