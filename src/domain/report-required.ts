/*
 * Without zod on purpose: the web form imports these lists, and any zod object built in the
 * browser probes for eval (new Function), which the UI's strict CSP reports as a violation.
 */

/**
 * The fields an operator's report must give, not empty: THE list, which the schemas below enforce
 * and the web form marks (a mark by hand per field would drift from the rule). `organization` only
 * where one must be named (a file line, or the center reporting for an organisation).
 */
export const OPERATOR_REPORT_REQUIRED = [
  'received_at',
  'organization',
  'sector',
  'title',
  'description',
  'stage',
  'event',
  'causes',
] as const;

/** The fields a further stage report must give (the stage defaults to update; the rest keep the incident's). */
export const STAGE_REPORT_REQUIRED = ['received_at', 'description', 'event', 'causes'] as const;

export type RequiredField = (typeof OPERATOR_REPORT_REQUIRED)[number];
