import type { Actor } from '../../access/index.js';
import type { OrganizationFlag } from '../../domain/regimes.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';

/**
 * An organisation's flags (issue 15): designated operator (特別社会基盤事業者), EU entity, US
 * covered entity. They decide, with sector and facts, which duties its incidents are proposed.
 * Set by admins; audited.
 */
export async function flagsOf(database: Database, organizationId: number) {
  const org = await database.db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (!org) throw notFound('organisation');
  const rows = await database.db
    .selectFrom('organization_flags')
    .select('flag')
    .where('organization_id', '=', organizationId)
    .orderBy('flag')
    .execute();
  return { organization_id: organizationId, flags: rows.map((r) => r.flag as OrganizationFlag) };
}

export async function setFlags(
  database: Database,
  audit: AuditService,
  actor: Actor,
  organizationId: number,
  flags: readonly OrganizationFlag[],
) {
  await inTransaction(database, async (trx) => {
    const org = await trx
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', organizationId)
      .executeTakeFirst();
    if (!org) throw notFound('organisation');
    const before = (
      await trx
        .selectFrom('organization_flags')
        .select('flag')
        .where('organization_id', '=', organizationId)
        .execute()
    ).map((r) => r.flag);
    await trx.deleteFrom('organization_flags').where('organization_id', '=', organizationId).execute();
    const now = new Date().toISOString();
    const unique = [...new Set(flags)];
    if (unique.length > 0)
      await trx
        .insertInto('organization_flags')
        .values(
          unique.map((flag) => ({
            organization_id: organizationId,
            flag,
            set_by: actor.userId > 0 ? actor.userId : null,
            set_at: now,
          })),
        )
        .execute();
    await audit.append(trx, whoOf(actor), {
      action: 'organization.flags',
      objectType: 'organization',
      objectId: organizationId,
      details: { before, after: unique },
    });
  });
  return flagsOf(database, organizationId);
}
