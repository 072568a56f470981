import { parseReadableRef } from '../../domain/readable-ref.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import type { Tlp } from '../../domain/tlp.js';
import { createdModified, stixTime } from './stix.ids.js';
import { common, indicatorObject, relationship, sectorIdentity } from './stix.common.js';
import {
  determinationOf,
  impactCategoryOf,
  incidentTypes,
  industrySectors,
  investigationStatusOf,
} from './stix.vocab.js';
import type { ExportPolicy, StixIncidentInput, StixObject } from './stix.types.js';

/** The Incident Core Extension 2.0 (a property extension of the Incident SDO). */
export const INCIDENT_CORE_EXTENSION_ID = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';
/** The Impact SDO's extension (a new-SDO extension: cti-stix-common-objects, incident-core/impact). */
export const IMPACT_EXTENSION_ID = 'extension-definition--7cc33dd6-f6a1-489b-98ea-522d351d71b9';

/**
 * TLP markings under which an organisation that consented may be named. A record marked AMBER or
 * stricter goes to people who are not to know who reported it: it names the sector only.
 */
const NAMEABLE: ReadonlySet<Tlp> = new Set(['CLEAR', 'GREEN']);

const label = (list: ReadonlyArray<{ code: string; en: string; ja: string }>, code: string) => {
  const found = list.find((l) => l.code === code);
  return found ? `${found.en} (${found.ja})` : code;
};

/**
 * What an anonymised incident says: the taxonomy's labels for what the classification says, never
 * the reporter's words (a title or description can name the victim, a person, a host, an address).
 */
function taxonomyText(i: StixIncidentInput, taxonomy: Taxonomy): { name: string; description?: string } {
  const c = i.classification;
  const sector = i.sector ? label(taxonomy.data.sectors, i.sector) : null;
  const event = c ? label(taxonomy.data.events, c.event) : 'Unclassified incident (未分類)';
  const name = sector ? `${event}: ${sector}` : event;
  if (!c) return { name };
  const parts = [
    `Causes (原因): ${c.causes.map((code) => label(taxonomy.data.causes, code)).join('; ') || '-'}`,
  ];
  if (c.attack_type)
    parts.push(`Attack type (攻撃種別): ${label(taxonomy.data.attack_types, c.attack_type)}`);
  return { name, description: parts.join('\n') };
}

/**
 * One Impact object (Incident Extension Suite §2.3: impact_category names the extension inside it)
 * for the confidentiality, integrity or availability effect the classification states.
 */
function impactOf(
  i: StixIncidentInput,
  base: string,
  times: { created: string; modified: string },
  impacted: StixObject | null,
): StixObject | null {
  const c = i.classification;
  const category = c ? impactCategoryOf(c.event) : null;
  if (!c || !category) return null;
  const confirmed = c.by === 'center';
  // What kyoyu knows is which effect occurred, not on which information or how much: the open
  // vocabulary's `information_type` says so, and the alteration and loss say whether the center
  // confirmed it (the reporter's word alone is a suspicion).
  const detail =
    category === 'confidentiality'
      ? { information_type: 'unknown', loss_type: confirmed ? 'confirmed-loss' : 'suspected-loss' }
      : category === 'integrity'
        ? {
            information_type: 'unknown',
            alteration: confirmed ? 'partial-destruction' : 'potential-destruction',
          }
        : // availability.disruption is "systems unavailable": the function was lost, 100.
          { availability_impact: 100 };
  return {
    ...common('impact', `${base}|${category}`, times, i.tlp),
    impact_category: category,
    impacted_entity_counts: { organizations: 1 },
    ...(impacted ? { impacted_refs: [impacted.id] } : {}),
    ...(i.occurred_at ? { start_time: stixTime(i.occurred_at) } : {}),
    extensions: {
      [IMPACT_EXTENSION_ID]: { extension_type: 'new-sdo' },
      [category]: detail,
    },
  };
}

/**
 * An incident as STIX 2.1 objects: the Incident SDO (§4.6) with the Incident Core Extension,
 * Impact objects, the sector's Identity, the organisation's where it may be named, indicators
 * (not anonymised only: an address in a report may be the victim's own) and the relationships.
 * Markings are added by `bundleOf`.
 */
export function incidentObjects(
  i: StixIncidentInput,
  policy: ExportPolicy,
  taxonomy: Taxonomy,
): StixObject[] {
  // An anonymised export has ids of its own: the same id must not arrive with two contents.
  const base = `${policy.anonymise ? 'anonymised:' : ''}incident:${i.ref}`;
  const times = createdModified(i.created_at, i.updated_at);
  const sector = i.sector ? sectorIdentity(i.sector, taxonomy) : null;
  const organization =
    !policy.anonymise && i.organization_consent === true && i.organization && NAMEABLE.has(i.tlp)
      ? {
          ...common('identity', `organization:${i.organization}`, times, i.tlp),
          name: i.organization,
          identity_class: 'organization',
          ...(i.sector ? { sectors: industrySectors(i.sector) } : {}),
        }
      : null;
  const impact = impactOf(i, base, times, sector);
  const types = incidentTypes(i.classification);
  const text = policy.anonymise
    ? taxonomyText(i, taxonomy)
    : { name: i.title, description: i.description || undefined };
  // A readable ref is kyoyu's own (a check-digit code); a ref the reporter gave may name it.
  const shareRef = !policy.anonymise || parseReadableRef(i.ref) === i.ref;
  const incident: StixObject = {
    ...common('incident', base, times, i.tlp),
    name: text.name,
    ...(text.description ? { description: text.description } : {}),
    ...(shareRef ? { external_references: [{ source_name: 'kyoyu', external_id: i.ref }] } : {}),
    extensions: {
      [INCIDENT_CORE_EXTENSION_ID]: {
        extension_type: 'property-extension',
        determination: determinationOf(i),
        investigation_status: investigationStatusOf(i),
        ...(types.length ? { incident_types: types } : {}),
        impacted_entity_counts: { organizations: 1 },
        ...(impact ? { impact_refs: [impact.id] } : {}),
      },
    },
  };
  const objects: StixObject[] = [incident];
  if (impact) objects.push(impact);
  for (const target of [sector, organization]) {
    if (!target) continue;
    objects.push(target, relationship(incident, 'impacts', target, times, i.tlp));
  }
  if (!policy.anonymise)
    for (const given of i.indicators ?? []) {
      const indicator = indicatorObject(base, given, times);
      if (indicator) objects.push(indicator, relationship(indicator, 'related-to', incident, times, i.tlp));
    }
  return objects;
}
