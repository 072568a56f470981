/**
 * Moved to src/access/. This re-export keeps branches written against the old path merging; the
 * lead removes it once they are in.
 */
import type { Actor } from '../../access/index.js';
import { canSee as canSeeRecord } from '../../access/index.js';

export * from '../../access/index.js';

/** The old camelCase shape of canSee's record, accepted as well as an `incidents` row. */
export function canSee(
  actor: Actor,
  record:
    | { organizationId: number | null; sector: string | null; channel: string; tlp: string }
    | Parameters<typeof canSeeRecord>[1],
): boolean {
  if ('organizationId' in record)
    return canSeeRecord(actor, {
      organization_id: record.organizationId,
      sector: record.sector,
      channel: record.channel,
      tlp: record.tlp,
    });
  return canSeeRecord(actor, record);
}
