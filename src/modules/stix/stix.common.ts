import { stixPattern } from '../../domain/indicators.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import type { Tlp } from '../../domain/tlp.js';
import { stixId } from './stix.ids.js';
import { TLP_MARKING_IDS } from './stix.markings.js';
import { industrySectors } from './stix.vocab.js';
import type { StixObject, StixProducer } from './stix.types.js';

/**
 * Objects that stand for no record (a sector, the producing center) are the same in every bundle:
 * fixed `created`/`modified`, so that the same id never arrives with two contents. A change of
 * their content moves this instant.
 */
export const FIXED_OBJECT_TIME = '2024-04-01T00:00:00.000Z';

/** The properties every SDO and SRO carries (STIX 2.1 §3.2): type, spec_version, id, created, modified. */
export function common(
  type: string,
  name: string,
  times: { created: string; modified: string },
  tlp?: Tlp,
): StixObject {
  return {
    type,
    spec_version: '2.1',
    id: stixId(type, name),
    created: times.created,
    modified: times.modified,
    ...(tlp ? { object_marking_refs: [TLP_MARKING_IDS[tlp]] } : {}),
  };
}

/**
 * A sector as an Identity (STIX 2.1 §4.5): identity_class `class` ("a class of entities", §10.8),
 * `sectors` from industry-sector-ov, kyoyu's sector code as an external reference. Marked CLEAR:
 * a sector's name says nothing about any record.
 */
export function sectorIdentity(code: string, taxonomy: Taxonomy): StixObject {
  const label = taxonomy.sector(code);
  return {
    ...common(
      'identity',
      `sector:${code}`,
      { created: FIXED_OBJECT_TIME, modified: FIXED_OBJECT_TIME },
      'CLEAR',
    ),
    name: label ? `${label.en} (${label.ja})` : code,
    identity_class: 'class',
    sectors: industrySectors(code),
    external_references: [{ source_name: 'kyoyu-sector', external_id: code }],
  };
}

/** The center that produces the bundle, as an organisation Identity (the created_by_ref of its reports). */
export function producerIdentity(producer: StixProducer): StixObject {
  return {
    ...common('identity', `producer:${producer.name}`, {
      created: FIXED_OBJECT_TIME,
      modified: FIXED_OBJECT_TIME,
    }),
    name: producer.name,
    identity_class: 'organization',
  };
}

/** An SRO (§5.1): relationship_type, source_ref, target_ref; its id follows from the three. */
export function relationship(
  source: StixObject,
  type: string,
  target: StixObject,
  times: { created: string; modified: string },
  tlp?: Tlp,
): StixObject {
  return {
    ...common('relationship', `${source.id}|${type}|${target.id}`, times, tlp),
    relationship_type: type,
    source_ref: source.id,
    target_ref: target.id,
  };
}

/**
 * An observable indicator as an Indicator SDO (§4.7): pattern (the shared rule's `stixPattern`),
 * pattern_type `stix`, valid_from; marked with the indicator's own TLP. Null for types that are no
 * observable (CVE ids, ATT&CK techniques: objects of their own).
 */
export function indicatorObject(
  owner: string,
  indicator: { type: Parameters<typeof stixPattern>[0]; value: string; tlp: Tlp },
  times: { created: string; modified: string },
): StixObject | null {
  const pattern = stixPattern(indicator.type, indicator.value);
  if (pattern === null) return null;
  return {
    ...common('indicator', `${owner}|${indicator.type}|${indicator.value}`, times, indicator.tlp),
    name: `${indicator.type}: ${indicator.value}`,
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    valid_from: times.created,
  };
}
