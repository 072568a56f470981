import type { Generated } from 'kysely';

/** TAXII 2.1 tables (migration 016). Instants are ISO 8601 UTC strings. */
export interface TaxiiCollectionTable {
  /** A UUID derived from the key, so that a collection keeps its id across restarts and installs. */
  id: string;
  /** `public` | `sector:<code>` | `org:<id>` | `center-inbox` | `feed:<name>` */
  key: string;
  title_ja: string;
  title_en: string;
  description: string | null;
  anonymise: Generated<number>;
  created_at: string;
}

export interface TaxiiObjectTable {
  id: Generated<number>;
  collection_id: string;
  stix_id: string;
  /** `modified`, else `created`, else the date it was added (objects without versions). */
  version: string;
  type: string;
  spec_version: string;
  date_added: string;
  object: string;
  deleted: Generated<number>;
  /** The record the publisher made it from (`incident:<id>`, migration 017); null: added by a client or shared. */
  source_ref: string | null;
}

/** The audit trail's position the incident publisher has read up to, per chain (migration 017). */
export interface TaxiiPublishCursorTable {
  chain: number;
  seq: number;
  /** Of the entry after `seq`, how many of its incidents are published already. */
  skip: Generated<number>;
}

export interface TaxiiStatusTable {
  id: string;
  collection_id: string;
  user_id: number | null;
  status: string;
  request_timestamp: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  successes: string;
  failures: string;
  pendings: string;
}

export interface TaxiiFeedTable {
  id: Generated<number>;
  name: string;
  url: string;
  collection_id: string;
  credentials_ref: string | null;
  added_after: string | null;
  interval_seconds: number;
  next_run_at: string;
  lease_until: string | null;
  lease_by: string | null;
  last_run_at: string | null;
  last_result: string | null;
}

export interface TaxiiTables {
  taxii_collections: TaxiiCollectionTable;
  taxii_objects: TaxiiObjectTable;
  taxii_status: TaxiiStatusTable;
  taxii_feeds: TaxiiFeedTable;
  taxii_publish_cursors: TaxiiPublishCursorTable;
}
