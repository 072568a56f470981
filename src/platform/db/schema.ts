import type { IndicatorTables } from './schema-indicators.js';
import type { Generated } from 'kysely';
import type { StixTables } from './schema-stix.js';
import type { AdvisoryTables } from './schema-advisories.js';
import type { TaxiiTables } from './schema-taxii.js';
import type { PublicationTables } from './schema-publication.js';

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
  password_hash: string | null;
  password_changed_at: string | null;
  /** Base32 TOTP secret; enabled once totp_enabled_at is set (after a first valid code). */
  totp_secret: string | null;
  totp_enabled_at: string | null;
  /** The last TOTP time step accepted: a code is good once. */
  totp_last_step: number | null;
  failed_logins: Generated<number>;
  locked_until: string | null;
  disabled_at: string | null;
  /** 1 after a temporary password (an admin's reset): the next session reaches only the password change. */
  password_must_change: Generated<number>;
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
  /** Comma-separated scopes (read, write, classify, admin). */
  scopes: Generated<string>;
  expires_at: string | null;
}

export interface SessionTable {
  /** sha256 of the cookie value: a database reader cannot take over a session. */
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  /** When the second factor was verified in this session; null until then. */
  mfa_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  chain: number;
  seq: number;
  at: string;
  actor_user_id: number | null;
  actor: string;
  action: string;
  object_type: string | null;
  object_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
  /** 1: the hash does not cover the id (entries written before migration 008); 2: it does. */
  hash_version: Generated<number>;
}

export interface AuditHeadTable {
  chain: number;
  seq: number;
  hash: string;
}

export interface IdempotencyKeyTable {
  user_id: number;
  key: string;
  request_hash: string;
  status: number;
  content_type: string | null;
  body: string;
  created_at: string;
}

export interface RateLimitTable {
  bucket: string;
  window_start: number;
  n: number;
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
  /** TLP 2.0 marking: CLEAR, GREEN, AMBER, AMBER+STRICT or RED. */
  tlp: Generated<string>;
  /** Lifecycle: received, rejected or withdrawn (src/domain/lifecycle.ts); only received counts. */
  state: Generated<string>;
  /** Why the center rejected it (a REJECT_REASONS code); withdrawn records carry `withdrawn`. */
  state_reason: string | null;
  state_note: string | null;
  state_changed_at: string | null;
  state_changed_by: number | null;
  /** Received time of the final report that closed it; null while open (or since the center reopened it). */
  final_received_at: string | null;
  /** When the incident happened (発生日時), UTC; from the latest report that named it. */
  occurred_at: string | null;
  /** When it was detected (検知日時), UTC; from the latest report that named it. */
  detected_at: string | null;
  /** How it reaches others: 'community' (by TLP) or 'addressed' (record_audience decides). */
  audience: Generated<string>;
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
  /** What this report said of when the incident happened and was detected (UTC), if anything. */
  occurred_at: string | null;
  detected_at: string | null;
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

/** A request under the two-person rule: takes effect only when a second admin approves it. */
export interface AdminApprovalTable {
  id: Generated<number>;
  /** create_user | set_role | reset_password | reset_mfa */
  kind: string;
  target_user_id: number | null;
  /** JSON: what to do (the new user, the new role); never a secret. */
  payload: string;
  requested_by: number;
  requested_at: string;
  expires_at: string;
  /** pending | approved | rejected (an expired one stays pending in the row and is shown as expired). */
  status: Generated<string>;
  decided_by: number | null;
  decided_at: string | null;
}

/** A fiscal quarter the center has closed: the statistics read it from its snapshot. */
export interface ClosedPeriodTable {
  fiscal_year: number;
  quarter: number;
  closed_at: string;
  closed_by: number | null;
  /** Who closed it: the user's email, or `cli:period`. */
  closed_by_label: string;
}

/** The rollup of a closed quarter at its closing, summed over shards. */
export interface PeriodSnapshotTable {
  fiscal_year: number;
  quarter: number;
  month: string;
  tbl: string;
  code: string;
  n: number;
}

/** A user's named incident-list filter: private to that user (another's answers as missing). */
export interface SavedFilterTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** JSON: the list's query parameters (incident.schema.ts `listFilter`), validated when saved. */
  filter: string;
  created_at: string;
}

/** A message in an incident's conversation (src/modules/conversations). */
export interface IncidentMessageTable {
  id: Generated<number>;
  incident_id: number;
  author_user_id: number;
  author_organization_id: number;
  author_role: string;
  /** center | reporter | desk: the author's side in the conversation when it wrote. */
  author_side: string;
  /** The incident's TLP marking when the message was written. */
  tlp: string;
  body: string;
  created_at: string;
}

/** How far a user has read an incident's conversation. */
export interface ConversationReadTable {
  user_id: number;
  incident_id: number;
  last_read_id: number;
  read_at: string;
}

/** A user's notification, and the mail outbox's entry for it (src/modules/notifications). */
export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  /** new_report | question | answer | message */
  kind: string;
  incident_id: number;
  message_id: number | null;
  created_at: string;
  read_at: string | null;
  /** pending | sent | failed; null: no mail due. */
  mail_state: string | null;
  mail_attempts: Generated<number>;
  /** When a pending mail may be tried next (also the lease of the mailer sending it). */
  mail_next_at: string | null;
  mail_sent_at: string | null;
  mail_error: string | null;
}

export interface NotificationSettingTable {
  user_id: number;
  /** ja | en: the language of the user's mail. */
  language: Generated<string>;
  /** 1: mail wanted (where SMTP is configured). */
  mail: Generated<number>;
  updated_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface DB extends AdvisoryTables, IndicatorTables, StixTables, TaxiiTables, PublicationTables {
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
  sessions: SessionTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadTable;
  idempotency_keys: IdempotencyKeyTable;
  rate_limits: RateLimitTable;
  admin_approvals: AdminApprovalTable;
  closed_periods: ClosedPeriodTable;
  period_snapshots: PeriodSnapshotTable;
  saved_filters: SavedFilterTable;
  incident_messages: IncidentMessageTable;
  conversation_reads: ConversationReadTable;
  notifications: NotificationTable;
  notification_settings: NotificationSettingTable;
}
