import type { Kysely } from 'kysely';
import type { Taxonomy } from '../../domain/taxonomy.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { listOrganizations } from '../organizations/index.js';
import type { Audience, RecipientChoice } from './advisory.schema.js';

/** Sector codes of the taxonomy and existing organisations only: a field error names the bad one. */
export async function checkedAudience(
  db: Kysely<DB>,
  taxonomy: Taxonomy,
  audience: Audience,
): Promise<Audience> {
  const codes = new Set(taxonomy.data.sectors.map((s) => s.code));
  const errors = audience.sectors
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => !codes.has(s))
    .map(({ s, i }) => ({
      field: `body.audience.sectors.${i}`,
      code: 'unknown_code' as const,
      message: `not a sector code: ${s}`,
    }));
  const ids = [...new Set(audience.organizations)];
  const known = new Set(
    ids.length === 0
      ? []
      : (await db.selectFrom('organizations').select('id').where('id', 'in', ids).execute()).map((r) => r.id),
  );
  audience.organizations.forEach((id, i) => {
    if (!known.has(id))
      errors.push({
        field: `body.audience.organizations.${i}`,
        code: 'unknown_code',
        message: `no organisation ${id}`,
      });
  });
  if (errors.length > 0)
    throw new AppError('validation_failed', 'the audience names unknown recipients', errors);
  if (!audience.everyone && audience.sectors.length === 0 && audience.organizations.length === 0)
    throw new AppError('validation_failed', 'address the advisory to someone', [
      { field: 'body.audience', code: 'required', message: 'everyone, a sector or an organisation' },
    ]);
  return { everyone: audience.everyone, sectors: [...new Set(audience.sectors)], organizations: ids };
}

/** The organisations an advisory may be addressed to by name, by name (the compose form's picker). */
export async function recipientChoices(db: Kysely<DB>): Promise<RecipientChoice[]> {
  return (await listOrganizations(db)).map((o) => ({ id: o.id, name: o.name, sector: o.sector }));
}
