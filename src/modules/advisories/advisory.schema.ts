import { z } from 'zod';
import type { IndicatorType } from '../../domain/indicators.js';
import { checkIndicator, INDICATOR_TYPES } from '../../domain/indicators.js';
import { instantSchema, text } from '../../domain/report-line.js';
import { TLP_LEVELS } from '../../domain/tlp.js';

/**
 * Advisories (the center's provisions) and agency shares (a sector desk's, to the center): the
 * request and answer shapes. Indicators and CVE ids are checked and put in their normal form by
 * the domain's one rule (src/domain/indicators.ts); a bad one is a field error naming it.
 */

export const ADVISORY_KINDS = ['advisory', 'agency_share'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const ACTION_STATUSES = ['not_affected', 'mitigated', 'patched', 'in_progress'] as const;
/** What the caller may do with an advisory (the answer's `actions`). */
export const ADVISORY_ACTIONS = ['revise', 'acknowledge', 'set_action', 'follow_up', 'remind'] as const;

export type AdvisoryKind = (typeof ADVISORY_KINDS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export type AdvisoryAction = (typeof ADVISORY_ACTIONS)[number];

/** Refuses a value the indicator rule does not accept, and stores the rule's normal form. */
function checked<T>(
  typeOf: (v: T) => IndicatorType,
  get: (v: T) => string,
  set: (v: T, s: string) => T,
  path: string[] = [],
) {
  return {
    refine: (value: T, ctx: z.RefinementCtx) => {
      const result = checkIndicator(typeOf(value), get(value));
      if (!result.ok)
        ctx.addIssue({
          code: 'custom',
          path: [...path],
          params: { code: 'invalid_value' },
          message: `not a valid ${typeOf(value)}: "${get(value)}" (${result.reason})`,
        });
    },
    normalize: (value: T): T => {
      const result = checkIndicator(typeOf(value), get(value));
      return result.ok ? set(value, result.value) : value;
    },
  };
}

const cveCheck = checked<string>(
  () => 'cve',
  (v) => v,
  (_, s) => s,
);
const indicatorCheck = checked<{ type: IndicatorType; value: string; tlp?: (typeof TLP_LEVELS)[number] }>(
  (v) => v.type,
  (v) => v.value,
  (v, s) => ({ ...v, value: s }),
  ['value'],
);

const localized = (max: number, multiline = false) =>
  z.object({ ja: text(max, multiline).min(1), en: text(max, multiline).min(1).optional() });

export const indicatorSchema = z
  .object({
    type: z.enum(INDICATOR_TYPES),
    value: z.string().min(1).max(2048),
    tlp: z.enum(TLP_LEVELS).optional().describe("this indicator's own marking (else the advisory's)"),
  })
  .superRefine(indicatorCheck.refine)
  .overwrite(indicatorCheck.normalize);

export const advisoryContent = z.object({
  title: localized(500),
  body: localized(20_000, true),
  cves: z
    .array(z.string().min(1).max(64).superRefine(cveCheck.refine).overwrite(cveCheck.normalize))
    .max(200)
    .default([])
    .describe('CVE ids, e.g. CVE-2024-3400'),
  affected_products: z
    .array(z.object({ vendor: text(200).min(1), product: text(200).min(1), versions: text(500) }))
    .max(200)
    .default([]),
  indicators: z.array(indicatorSchema).max(1000).default([]),
  recommended_actions: z.array(localized(2000, true)).max(100).default([]),
  references: z
    .array(z.object({ title: text(500).min(1), url: z.url({ protocol: /^https?$/ }).max(2048) }))
    .max(100)
    .default([]),
});

export const audienceSchema = z.object({
  everyone: z.boolean().describe('every organisation'),
  sectors: z.array(z.string().min(1).max(64)).max(100).describe('sector codes'),
  organizations: z.array(z.number().int().min(1)).max(10_000).describe('organisation ids'),
});

export const newAdvisoryBody = z.object({
  kind: z
    .enum(ADVISORY_KINDS)
    .describe("advisory: the center's; agency_share: a sector desk's, to the center"),
  tlp: z.enum(TLP_LEVELS),
  severity: z.enum(SEVERITIES),
  audience: audienceSchema.describe('whom it reaches (an agency share reaches the center only)'),
  content: advisoryContent,
  received_at: instantSchema().optional().describe('when it was issued (default: now)'),
});

export const reviseAdvisoryBody = newAdvisoryBody.omit({ kind: true, received_at: true });

export const receiptBody = z.object({
  read: z.literal(true).optional(),
  acknowledged: z.literal(true).optional(),
  action_status: z.enum(ACTION_STATUSES).optional(),
  action_note: text(2000, true).optional(),
});

export const receiptSchema = z.object({
  read_at: z.string().nullable(),
  acknowledged_at: z.string().nullable(),
  action_status: z.enum(ACTION_STATUSES).nullable(),
  action_note: z.string().nullable(),
});

export const advisoryViewSchema = z.object({
  id: z.number(),
  incident_id: z.number(),
  ref: z.string(),
  kind: z.enum(ADVISORY_KINDS),
  revision: z.number(),
  tlp: z.enum(TLP_LEVELS),
  severity: z.enum(SEVERITIES),
  audience: audienceSchema,
  content: advisoryContent,
  published_at: z.string(),
  updated_at: z.string(),
  author_organization: z.string().nullable(),
  receipt: receiptSchema.nullable().describe("your organisation's receipt; null: you are not a recipient"),
  actions: z.array(z.enum(ADVISORY_ACTIONS)),
});

export const advisoryListQuery = z.object({
  unread: z.enum(['true', 'false']).optional().describe('true: those your organisation has not read'),
  kind: z.enum(ADVISORY_KINDS).optional(),
  incident_id: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('the advisory of this record (a notification names the record)'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const advisoryListSchema = z.object({
  items: z.array(advisoryViewSchema),
  next_cursor: z.string().nullable(),
});

export const revisionSchema = z.object({
  revision: z.number(),
  tlp: z.enum(TLP_LEVELS),
  audience: audienceSchema,
  content: advisoryContent,
  author: z.string().nullable().describe("the author's e-mail"),
  at: z.string(),
});
export const revisionListSchema = z.object({ items: z.array(revisionSchema).describe('newest first') });

const followUpOrganization = z.object({
  id: z.number(),
  name: z.string(),
  read_at: z.string().nullable(),
  read_by: z.string().nullable(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.string().nullable(),
  action_status: z.enum(ACTION_STATUSES).nullable(),
  action_note: z.string().nullable(),
  action_at: z.string().nullable(),
});

export const followUpSchema = z.object({
  advisory: advisoryViewSchema,
  totals: z.object({
    recipients: z.number(),
    read: z.number(),
    acknowledged: z.number(),
    acted: z.number().describe('with an action status'),
  }),
  sectors: z.array(z.object({ sector: z.string().nullable(), organizations: z.array(followUpOrganization) })),
});

/** An organisation the center may address an advisory to by name. */
export const recipientChoiceSchema = z.object({
  id: z.number(),
  name: z.string(),
  sector: z.string().nullable().describe('the sector it is registered under'),
});
export type RecipientChoice = z.infer<typeof recipientChoiceSchema>;

export const reminderBody = z.object({
  to: z
    .enum(['unacknowledged', 'no_action'])
    .describe('unacknowledged: not yet acknowledged; no_action: no action status yet'),
});
export const reminderSchema = z.object({
  organizations: z.number().describe('organisations reminded'),
  users: z.number().describe('users notified'),
});

export type AdvisoryContent = z.infer<typeof advisoryContent>;
export type Audience = z.infer<typeof audienceSchema>;
export type NewAdvisory = z.infer<typeof newAdvisoryBody>;
export type ReviseAdvisory = z.infer<typeof reviseAdvisoryBody>;
export type ReceiptBody = z.infer<typeof receiptBody>;
export type Receipt = z.infer<typeof receiptSchema>;
export type AdvisoryView = z.infer<typeof advisoryViewSchema>;
export type AdvisoryList = z.infer<typeof advisoryListSchema>;
export type AdvisoryListQuery = z.infer<typeof advisoryListQuery>;
export type AdvisoryRevision = z.infer<typeof revisionSchema>;
export type RevisionList = z.infer<typeof revisionListSchema>;
export type FollowUp = z.infer<typeof followUpSchema>;
export type ReminderBody = z.infer<typeof reminderBody>;
export type ReminderAnswer = z.infer<typeof reminderSchema>;
