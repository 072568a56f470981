/** The shapes of the API answers the UI reads (see /api/v1/openapi.json). */

export type Role = 'operator' | 'sector_desk' | 'center_analyst' | 'admin';
export type MfaState = 'verified' | 'required' | 'setup_required' | 'not_required';

export interface SessionView {
  user: { email: string; role: Role; organization: string; sectors: string[] };
  mfa: MfaState;
  csrf_token: string | null;
  expires_at: string | null;
}

export interface TotpSetup {
  secret: string;
  otpauth_uri: string;
}

export interface Labelled {
  code: string;
  ja: string;
  en: string;
}

export interface Taxonomy {
  channels: Labelled[];
  event_groups: Labelled[];
  events: Array<Labelled & { group: string }>;
  cause_groups: Labelled[];
  causes: Array<Labelled & { group: string }>;
  attack_types: Labelled[];
  report_stages: Labelled[];
  sectors: Labelled[];
}

export const STAT_TABLES = ['channels', 'events', 'causes', 'attack_types'] as const;
export type StatTable = (typeof STAT_TABLES)[number];

export interface StatsRowLabel extends Labelled {
  group?: string;
  group_ja?: string;
  group_en?: string;
}

export interface InfoSharingStats {
  fiscal_year: number;
  columns: string[];
  column_sources: Array<'records' | 'aggregates' | 'none'>;
  tables: Record<StatTable, Record<string, number[]>>;
  labels: Record<StatTable, StatsRowLabel[]>;
}

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export interface ClassificationView {
  event: string;
  causes: string[];
  attack_type: string | null;
}

export interface StageReport {
  id: number;
  stage: string | null;
  received_at: string;
  received_at_as_sent: string;
  organization: string | null;
  sector: string | null;
  title: string;
  description: string;
  classification: ClassificationView | null;
  created_at: string;
}

export interface Incident {
  id: number;
  ref: string;
  channel: string;
  organization: string | null;
  sector: string | null;
  title: string;
  description: string;
  stage: string | null;
  first_received_at: string;
  last_received_at: string;
  fiscal_year: number;
  fiscal_quarter: number;
  classification: (ClassificationView & { by: 'center' | 'reporter' }) | null;
  reporter_classification: ClassificationView | null;
  center_classification: (ClassificationView & { classified_at: string | null }) | null;
  tlp: Tlp;
  version: number;
  reports?: StageReport[];
}

export interface IncidentPage {
  items: Incident[];
  next_cursor: string | null;
}
