/** The shapes of the API answers the UI reads (see /api/v1/openapi.json). */
import type { Action } from '../../../../src/access/index.js';
import type { IncidentView } from '../../../../src/modules/incidents/incident.view.js';

export type Role = 'operator' | 'sector_desk' | 'center_analyst' | 'admin';
export type MfaState = 'verified' | 'required' | 'setup_required' | 'not_required';

/** What the caller may do, as the server lists it (GET /api/v1/me, the session): the UI shows only these. */
export type { Action, RecordAction } from '../../../../src/access/index.js';

export interface SessionView {
  user: {
    email: string;
    role: Role;
    organization: string;
    sectors: string[];
    actions: Action[];
  };
  mfa: MfaState;
  csrf_token: string | null;
  expires_at: string | null;
  /** Signed in with a temporary password: only the password change is reachable. */
  password_change_required: boolean;
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

// The server's own types and pure constants: the UI reads exactly what the API answers.
export { STAT_TABLES } from '../../../../src/domain/counting.js';
export type { StatTable } from '../../../../src/domain/counting.js';
export type {
  InfoSharingAnswer,
  InfoSharingStats,
  QuarterState,
  RowLabel as StatsRowLabel,
} from '../../../../src/domain/info-sharing-stats.js';
export { TLP_LEVELS } from '../../../../src/domain/tlp.js';
export { REJECT_REASONS } from '../../../../src/domain/lifecycle.js';
export type { LifecycleAction, RejectReason } from '../../../../src/domain/lifecycle.js';
export type { Tlp } from '../../../../src/domain/tlp.js';
export type {
  ClassificationView,
  IncidentView as Incident,
  StageView as StageReport,
} from '../../../../src/modules/incidents/incident.view.js';

export interface IncidentPage {
  items: IncidentView[];
  next_cursor: string | null;
}
