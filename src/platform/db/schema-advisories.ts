import type { Generated } from 'kysely';

/** The advisories' tables (migration 013); `incidents.audience` is in IncidentTable. */
export interface AdvisoryTable {
  id: Generated<number>;
  incident_id: number;
  /** advisory | agency_share */
  kind: string;
  /** critical | high | medium | low | info */
  severity: string;
  /** The current (newest) revision's number. */
  revision: number;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
}

export interface AdvisoryRevisionTable {
  advisory_id: number;
  revision: number;
  /** JSON: the revision's content (advisory.schema.ts `advisoryContent`). */
  content: string;
  tlp: string;
  /** JSON: {everyone, sectors, organizations} as addressed in this revision. */
  audience: string;
  author_user_id: number | null;
  at: string;
}

/** Who an addressed record reaches: `all`, `sector:<code>` or `org:<id>`. */
export interface RecordAudienceTable {
  incident_id: number;
  member: string;
}

/** One per recipient organisation, made when the advisory reaches it. */
export interface AdvisoryReceiptTable {
  advisory_id: number;
  organization_id: number;
  created_at: string;
  read_at: string | null;
  read_by: number | null;
  acknowledged_at: string | null;
  acknowledged_by: number | null;
  /** not_affected | mitigated | patched | in_progress */
  action_status: string | null;
  action_note: string | null;
  action_at: string | null;
  action_by: number | null;
}

export interface AdvisoryTables {
  advisories: AdvisoryTable;
  advisory_revisions: AdvisoryRevisionTable;
  record_audience: RecordAudienceTable;
  advisory_receipts: AdvisoryReceiptTable;
}
