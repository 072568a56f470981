import type { IndicatorType } from '../../domain/indicators.js';
import type { Tlp } from '../../domain/tlp.js';

/** One STIX 2.1 object as JSON: its common properties typed, the rest as the type defines. */
export interface StixObject {
  type: string;
  id: string;
  spec_version?: string;
  created?: string;
  modified?: string;
  [property: string]: unknown;
}

/** STIX 2.1 §8 "STIX Bundle Object": `type`, `id` and `objects`; a bundle has no spec_version in 2.1. */
export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/**
 * How an export treats identities (a collection's policy): anonymised, nothing that names the
 * reporting organisation, a person, an address, a host or any identifier the reporter wrote
 * travels: the objects say what the taxonomy says (event, causes, attack type, sector), not what
 * the reporter wrote.
 */
export interface ExportPolicy {
  anonymise: boolean;
}

export interface Bilingual {
  ja: string;
  en?: string | null;
}

export interface StixIndicatorInput {
  type: IndicatorType;
  /** The indicator in its normal form (checkIndicator in src/domain/indicators.ts). */
  value: string;
  tlp: Tlp;
}

/** A classification as the incidents module presents it (codes of the taxonomy). */
export interface StixClassificationInput {
  event: string;
  causes: string[];
  attack_type: string | null;
  by: 'center' | 'reporter';
}

/**
 * What the incident mapping needs: the incidents module's view (`IncidentView`) fits it as it is;
 * `indicators` and `organization_consent` are for the integrator to fill where they exist.
 */
export interface StixIncidentInput {
  id: number;
  ref: string;
  channel: string;
  organization: string | null;
  sector: string | null;
  title: string;
  description: string;
  stage: string | null;
  occurred_at: string | null;
  detected_at: string | null;
  first_received_at: string;
  classification: StixClassificationInput | null;
  tlp: Tlp;
  state: string;
  state_reason: string | null;
  final_received_at: string | null;
  created_at: string;
  updated_at: string;
  reports?: ReadonlyArray<{ title: string; description: string; organization: string | null }>;
  indicators?: readonly StixIndicatorInput[];
  /** The organisation agreed to be named in exports (default: it did not). */
  organization_consent?: boolean;
}

/** What the advisory mapping needs; the integrator maps the advisories module's record onto it. */
export interface StixAdvisoryInput {
  id: number | string;
  /** 1 for the first issue; each revision adds one (and moves `modified`). */
  revision: number;
  /** When the advisory was first issued. */
  created: string;
  /** When this revision was issued. */
  modified: string;
  tlp: Tlp;
  severity: string;
  title: Bilingual;
  body: Bilingual;
  cves: readonly string[];
  products: ReadonlyArray<{ vendor: string; product: string; versions: string }>;
  indicators: readonly StixIndicatorInput[];
  actions: readonly Bilingual[];
  references: ReadonlyArray<{ title: string; url: string }>;
  /** Sector codes of the taxonomy it is addressed to (empty: everyone). */
  sectors: readonly string[];
}

/** Who produces the bundles: the center that runs the deployment. */
export interface StixProducer {
  name: string;
}
