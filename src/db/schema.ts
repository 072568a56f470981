import type { Generated } from 'kysely';

/** Row types as Kysely sees them. Instants are ISO 8601 UTC strings (`toISOString()`), which sort as text. */
export interface OrganizationTable {
  id: Generated<number>;
  name: string;
  sector: string | null;
  created_at: string;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  organization_id: number;
  role: string;
  created_at: string;
}

export interface UserSectorTable {
  user_id: number;
  sector: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

export interface IncidentTable {
  id: Generated<number>;
  source: string;
  ref: string;
  channel: string;
  organization_id: number | null;
  sector: string | null;
  title: string;
  description: string;
  stage: string | null;
  first_received_at: string;
  last_received_at: string;
  /** Local month (deployment time zone) of first_received_at: the rollup key this incident counts under. */
  month: string;
  reporter_event: string | null;
  reporter_causes: string | null;
  reporter_attack_type: string | null;
  center_event: string | null;
  center_causes: string | null;
  center_attack_type: string | null;
  center_classified_at: string | null;
  center_classified_by: number | null;
  event: string | null;
  causes: string | null;
  attack_type: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface IncidentCauseTable {
  incident_id: number;
  cause: string;
}

export interface StageReportTable {
  id: Generated<number>;
  incident_id: number;
  stage: string | null;
  received_at: string;
  received_at_text: string;
  organization_name: string | null;
  sector: string | null;
  title: string;
  description: string;
  event: string | null;
  causes: string | null;
  attack_type: string | null;
  fingerprint: string;
  created_by: number | null;
  created_at: string;
}

export interface StatRollupTable {
  month: string;
  tbl: string;
  code: string;
  shard: number;
  n: number;
}

export interface PublishedAggregateTable {
  fiscal_year: number;
  quarter: number;
  tbl: string;
  code: string;
  value: number;
  imported_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface DB {
  organizations: OrganizationTable;
  users: UserTable;
  user_sectors: UserSectorTable;
  api_tokens: ApiTokenTable;
  incidents: IncidentTable;
  incident_causes: IncidentCauseTable;
  stage_reports: StageReportTable;
  stat_rollup: StatRollupTable;
  published_aggregates: PublishedAggregateTable;
  meta: MetaTable;
}
