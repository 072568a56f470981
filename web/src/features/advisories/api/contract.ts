/**
 * TEMPORARY: the advisories API's shapes as the contract states them, until the server's schema
 * (src/modules/advisories/advisory.schema.ts, branch adv-api) lands; then this file re-exports it.
 */
import type { Tlp } from '../../../shared/api/types';
import type { IndicatorType } from '../../../../../src/domain/indicators.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ACTION_STATUSES = ['not_affected', 'mitigated', 'patched', 'in_progress'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export type AdvisoryKind = 'advisory' | 'agency_share';

export interface Localized {
  ja: string;
  en?: string;
}
export interface AdvisoryContent {
  title: Localized;
  body: Localized;
  cves: string[];
  affected_products: Array<{ vendor: string; product: string; versions: string }>;
  indicators: Array<{ type: IndicatorType; value: string; tlp?: Tlp }>;
  recommended_actions: Localized[];
  references: Array<{ title: string; url: string }>;
}
export interface Audience {
  everyone: boolean;
  sectors: string[];
  organizations: number[];
}
export interface AdvisoryBody {
  kind: AdvisoryKind;
  tlp: Tlp;
  severity: Severity;
  audience: Audience;
  content: AdvisoryContent;
}
export interface ReceiptView {
  read_at: string | null;
  acknowledged_at: string | null;
  action_status: ActionStatus | null;
  action_note: string | null;
}
export type AdvisoryAction = 'revise' | 'acknowledge' | 'set_action' | 'follow_up' | 'remind';
export interface AdvisoryView {
  id: number;
  incident_id: number;
  ref: string;
  kind: AdvisoryKind;
  revision: number;
  tlp: Tlp;
  severity: Severity;
  audience: Audience;
  content: AdvisoryContent;
  published_at: string;
  updated_at: string;
  author_organization: string | null;
  receipt: ReceiptView | null;
  actions: AdvisoryAction[];
}
export interface AdvisoryPage {
  items: AdvisoryView[];
  next_cursor: string | null;
}
export interface RevisionView {
  revision: number;
  content: AdvisoryContent;
  tlp: Tlp;
  audience: Audience;
  author: string | null;
  at: string;
}
export interface RevisionList {
  items: RevisionView[];
}
export interface ReceiptBody {
  read?: true;
  acknowledged?: true;
  action_status?: ActionStatus;
  action_note?: string;
}
export interface FollowUpOrganization {
  id: number;
  name: string;
  read_at: string | null;
  read_by: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  action_status: ActionStatus | null;
  action_note: string | null;
  action_at: string | null;
}
export interface FollowUpView {
  advisory: AdvisoryView;
  totals: { recipients: number; read: number; acknowledged: number; acted: number };
  sectors: Array<{ sector: string; organizations: FollowUpOrganization[] }>;
}
export type ReminderTarget = 'unacknowledged' | 'no_action';
export interface ReminderAnswer {
  organizations: number;
  users: number;
}
