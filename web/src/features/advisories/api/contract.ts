/**
 * The advisories API's shapes: the server's zod schemas' types (src/modules/advisories/
 * advisory.schema.ts), imported type-only so that nothing of the server is bundled. The two lists
 * of choices are the UI's own copies, held to the server's types by `satisfies` both ways.
 */
import type {
  ActionStatus,
  AdvisoryContent,
  FollowUp,
  ReminderBody,
  Severity,
} from '../../../../../src/modules/advisories/advisory.schema.js';

export type {
  ActionStatus,
  AdvisoryAction,
  AdvisoryContent,
  AdvisoryKind,
  AdvisoryList as AdvisoryPage,
  AdvisoryRevision as RevisionView,
  AdvisoryView,
  Audience,
  FollowUp as FollowUpView,
  NewAdvisory as AdvisoryBody,
  Receipt as ReceiptView,
  ReceiptBody,
  ReminderAnswer,
  RecipientChoice,
  RevisionList,
  ReviseAdvisory as ReviseBody,
  Severity,
} from '../../../../../src/modules/advisories/advisory.schema.js';

type Every<T extends string, L extends readonly T[]> = [T] extends [L[number]] ? L : never;

export const SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
] as const satisfies readonly Severity[];
export const ACTION_STATUSES = [
  'not_affected',
  'mitigated',
  'patched',
  'in_progress',
] as const satisfies readonly ActionStatus[];
// Every server value is in the UI's list (a value added there fails to compile here).
export const severitiesComplete: Every<Severity, typeof SEVERITIES> = SEVERITIES;
export const statusesComplete: Every<ActionStatus, typeof ACTION_STATUSES> = ACTION_STATUSES;

export type ReminderTarget = ReminderBody['to'];
export type Localized = AdvisoryContent['title'];
export type FollowUpOrganization = FollowUp['sectors'][number]['organizations'][number];
