import type { Generated } from 'kysely';

/** Incoming STIX 2.1 objects for the center's triage (migration 015). */
export interface IntelObjectTable {
  id: Generated<number>;
  stix_id: string;
  type: string;
  spec_version: string;
  /** The object's modified (created where it has none; '' for a versionless observable). */
  modified: string;
  /** 'file:<name>' | 'taxii:<url>#<collection>' | 'api' */
  source: string;
  received_at: string;
  /** The object's JSON, as it arrived. */
  object: string;
  /** new | accepted | dismissed */
  triage_state: Generated<string>;
  decided_by: number | null;
  decided_at: string | null;
}

export interface StixTables {
  intel_objects: IntelObjectTable;
}
