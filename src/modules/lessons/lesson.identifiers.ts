import type { Kysely } from 'kysely';
import type { IdentifierKind, KnownIdentifier } from '../../domain/anonymity.js';
import { namesOf } from '../../domain/anonymity.js';
import type { DB } from '../../platform/db/schema.js';

/**
 * What the anonymity check looks for in a lesson: everything registered about the organisations of
 * the incidents it draws on (names, aliases, domains, hosts, addresses, distinctive details), those
 * incidents' references and their domain, host, address and e-mail indicators, and the names of
 * every other registered organisation (a lesson names none).
 */
export async function identifiersFor(
  db: Kysely<DB>,
  incidentIds: readonly number[],
): Promise<KnownIdentifier[]> {
  const known: KnownIdentifier[] = [];
  const organizations = await db.selectFrom('organizations').select(['id', 'name']).execute();
  const nameOf = new Map(organizations.map((o) => [o.id, o.name]));
  for (const o of organizations)
    for (const n of namesOf(o.name)) known.push({ kind: 'name', value: n, owner: o.name });
  if (incidentIds.length === 0) return known;
  const incidents = await db
    .selectFrom('incidents')
    .select(['id', 'ref', 'organization_id'])
    .where('id', 'in', [...incidentIds])
    .execute();
  const orgIds = [
    ...new Set(incidents.map((i) => i.organization_id).filter((id): id is number => id !== null)),
  ];
  for (const i of incidents)
    known.push({ kind: 'other', value: i.ref, owner: nameOf.get(i.organization_id ?? -1) ?? i.ref });
  if (orgIds.length > 0) {
    const registered = await db
      .selectFrom('organization_identifiers')
      .select(['organization_id', 'kind', 'value'])
      .where('organization_id', 'in', orgIds)
      .execute();
    for (const r of registered)
      known.push({ kind: r.kind as IdentifierKind, value: r.value, owner: nameOf.get(r.organization_id)! });
  }
  const indicators = await db
    .selectFrom('incident_indicators')
    .innerJoin('incidents', 'incidents.id', 'incident_indicators.incident_id')
    .select(['incident_indicators.type', 'incident_indicators.value', 'incidents.organization_id'])
    .where('incident_indicators.incident_id', 'in', [...incidentIds])
    .where('incident_indicators.type', 'in', ['domain', 'ipv4', 'ipv6', 'email', 'url'])
    .execute();
  for (const ind of indicators)
    known.push({
      kind:
        ind.type === 'domain'
          ? 'domain'
          : ind.type === 'email' || ind.type.startsWith('ip')
            ? 'address'
            : 'host',
      value: ind.value,
      owner: nameOf.get(ind.organization_id ?? -1) ?? '',
    });
  return known;
}
