/**
 * The shapes of the API answers the UI reads: the server's own zod schemas' types (each module's
 * `*.schema.ts`, the one source of its shapes; see /api/v1/openapi.json), imported type-only so
 * that nothing of the server is bundled. The few values here are the domain's pure constants.
 */

/** What the caller may do, as the server lists it (GET /api/v1/me, the session): the UI shows only these. */
export type { Action, RecordAction, Role } from '../../../../src/access/index.js';
export type { MfaState, SessionView, TotpSetup } from '../../../../src/modules/auth/auth.schema.js';
export type { Labelled, TaxonomyAnswer as Taxonomy } from '../../../../src/modules/system/system.schema.js';
export type {
  ClassificationView,
  IncidentPage,
  IncidentView as Incident,
  StageView as StageReport,
} from '../../../../src/modules/incidents/incident.schema.js';
export type { SavedFilter } from '../../../../src/modules/incidents/saved-filter.schema.js';
export type {
  DataYears,
  InfoSharingAnswer,
  InfoSharingStats,
  QuarterState,
  SectorStats,
  StatsFormat,
  StatsRowLabel,
} from '../../../../src/modules/stats/stats.schema.js';

export { STAT_TABLES } from '../../../../src/domain/counting.js';
export type { StatTable } from '../../../../src/domain/counting.js';
export { TLP_LEVELS } from '../../../../src/domain/tlp.js';
export type { Tlp } from '../../../../src/domain/tlp.js';
export { REJECT_REASONS } from '../../../../src/domain/lifecycle.js';
export type { LifecycleAction, RejectReason } from '../../../../src/domain/lifecycle.js';
