import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { checkStixObject } from './stix.check.js';
import type { NewIntelRow } from './stix.repository.js';
import { insertNewVersions } from './stix.repository.js';

export interface ImportResult {
  /** Objects received (valid or not). */
  received: number;
  /** Valid object versions not held before. */
  new: number;
  /** Objects refused, each with the rule it breaks; the others are kept. */
  refused: Array<{ id: string; reason: string }>;
}

/**
 * Stores STIX 2.1 objects as incoming intelligence, inside the caller's transaction (the API's
 * import, the TAXII server's POST, the TAXII client's pull): each object is checked on its own,
 * an invalid one is refused with its reason and the valid ones are kept, as they arrived. An
 * object version held already (same id, same modified) is not new. `source` is
 * 'file:<name>', 'taxii:<url>#<collection>' or 'api'.
 */
export async function importObjects(
  trx: Kysely<DB>,
  objects: readonly unknown[],
  source: string,
): Promise<ImportResult> {
  const refused: ImportResult['refused'] = [];
  const rows: NewIntelRow[] = [];
  const receivedAt = new Date().toISOString();
  objects.forEach((value, index) => {
    const checked = checkStixObject(value);
    if (!checked.ok) {
      const id = (value as { id?: unknown } | null)?.id;
      refused.push({
        id: typeof id === 'string' ? id.slice(0, 300) : `objects[${index}]`,
        reason: checked.reason,
      });
      return;
    }
    const o = checked.object;
    rows.push({
      stix_id: o.id,
      type: o.type,
      spec_version: o.spec_version!,
      modified: o.modified ?? o.created ?? '',
      source,
      received_at: receivedAt,
      object: JSON.stringify(o),
    });
  });
  return { received: objects.length, new: await insertNewVersions(trx, rows), refused };
}
