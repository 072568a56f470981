import { z } from 'zod';
import { STAGE_STATES } from '../../domain/obligations.js';
import { INCIDENT_TIMES, ORGANIZATION_FLAGS, REGIME_FACTS } from '../../domain/regimes.js';
import { instantSchema, text } from '../../domain/report-line.js';
import { TLP_LEVELS } from '../../domain/tlp.js';

/** The shapes of reporting duties on the wire (issue 15): one schema per shape. */

const bilingual = z.object({ ja: z.string(), en: z.string() });
const startPoint = z.union([z.object({ time: z.enum(INCIDENT_TIMES) }), z.object({ stage: z.string() })]);

export const stageViewSchema = z.object({
  code: z.string(),
  name: bilingual,
  deadline: bilingual.describe('the deadline in words'),
  state: z.enum(STAGE_STATES),
  promptly: z.boolean(),
  due_at: z.string().nullable().describe('null while what it counts from is not known yet'),
  waiting_for: startPoint.nullable(),
  submitted_at: z.string().nullable(),
  reference: z.string().nullable().describe("the recipient's reference (受付番号)"),
  reason: z.string().nullable(),
  late: z.boolean().describe('submitted after its due time'),
});

export const regimeDutySchema = z.object({
  code: z.string(),
  version: z.number(),
  name: bilingual,
  authority: bilingual,
  confidence: z.enum(['law', 'guidance', 'secondary']),
  source_url: z.string(),
  /** proposed: applies by the facts, not yet confirmed; confirmed; declined (with a reason). */
  status: z.enum(['proposed', 'confirmed', 'declined']),
  applies: z.boolean().describe('whether the sector, flags and facts make it apply'),
  reason: z.string().nullable(),
  share_with_center: z.boolean().describe("the operator's consent to share this report with the center"),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  stages: z.array(stageViewSchema),
});

export const obligationsViewSchema = z.object({
  incident_id: z.number(),
  flags: z.array(z.enum(ORGANIZATION_FLAGS)).describe("the reporting organisation's flags"),
  facts: z.array(z.enum(REGIME_FACTS)),
  details: z.record(z.string(), z.string()).describe('items only the operator knows (impact, response...)'),
  revision: z.number(),
  may_write: z.boolean().describe('whether the caller may change the facts, decisions and stages'),
  own_organization: z
    .boolean()
    .describe("the caller's own organisation reported it: every form is its to export"),
  regimes: z.array(regimeDutySchema),
});

export const factsBody = z.strictObject({
  facts: z.array(z.enum(REGIME_FACTS)).max(REGIME_FACTS.length),
  details: z.record(z.string().regex(/^[a-z_]{1,40}$/), text(8000, true)).optional(),
});

export const decisionBody = z
  .strictObject({
    status: z.enum(['confirmed', 'declined']),
    reason: text(2000, true)
      .pipe(z.string().trim().min(1))
      .optional()
      .describe('why it does not apply (declined)'),
    share_with_center: z.boolean().default(false),
  })
  .refine((b) => b.status === 'confirmed' || b.reason !== undefined, {
    message: 'a declined duty says why',
    path: ['reason'],
  });

export const stageBody = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('submitted'),
    submitted_at: instantSchema(),
    reference: text(200).pipe(z.string().trim()).optional(),
  }),
  z.strictObject({
    state: z.literal('not_required'),
    reason: text(2000, true).pipe(z.string().trim().min(1)),
  }),
  z.strictObject({ state: z.literal('open') }).describe('undo: the stage is open again'),
]);

export const previewQuery = z.strictObject({
  organization: text(200).optional().describe("the center's: the organisation it reports for, by name"),
  sector: z
    .string()
    .regex(/^[a-z_]{1,64}$/, 'a sector code')
    .optional(),
  facts: z
    .string()
    .max(400)
    .default('')
    .transform((v) => (v === '' ? [] : v.split(',')))
    .pipe(z.array(z.enum(REGIME_FACTS)).max(REGIME_FACTS.length))
    .describe('comma-separated: cyber_attack,personal_data,...'),
  occurred_at: instantSchema().optional(),
  detected_at: instantSchema().optional(),
});
export const previewSchema = z.object({
  flags: z.array(z.enum(ORGANIZATION_FLAGS)),
  regimes: z.array(regimeDutySchema),
});

const deadlineItem = z.object({
  incident: z.object({
    id: z.number(),
    ref: z.string(),
    title: z.string(),
    sector: z.string().nullable(),
    organization: z.string().nullable(),
    tlp: z.enum(TLP_LEVELS),
  }),
  regime: z.object({ code: z.string(), name: bilingual }),
  stage: z.object({ code: z.string(), name: bilingual }),
  due_at: z.string(),
});
export const deadlinesQuery = z.strictObject({
  sector: z
    .string()
    .regex(/^[a-z_]{1,64}$/, 'a sector code')
    .optional(),
  soon_hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(72),
});
export const deadlinesSchema = z.object({
  as_of: z.string(),
  overdue: z.array(deadlineItem),
  due_soon: z.array(deadlineItem),
});

export const exportQuery = z.strictObject({
  format: z.enum(['xlsx', 'csv', 'json']).default('xlsx'),
  lang: z.enum(['ja', 'en']).default('ja'),
});

export const stageFormSchema = z.object({
  title: z.string(),
  header: z
    .array(z.tuple([z.string(), z.string()]))
    .describe('recipient, stage, deadline, due time, reference, times, source'),
  rows: z.array(z.object({ item: z.string(), label: z.string(), value: z.string() })),
});

export const flagsBody = z.strictObject({
  flags: z.array(z.enum(ORGANIZATION_FLAGS)).max(ORGANIZATION_FLAGS.length),
});
export const flagsSchema = z.object({
  organization_id: z.number(),
  flags: z.array(z.enum(ORGANIZATION_FLAGS)),
});

export type StageView = z.infer<typeof stageViewSchema>;
export type RegimeDuty = z.infer<typeof regimeDutySchema>;
export type ObligationsView = z.infer<typeof obligationsViewSchema>;
export type FactsBody = z.infer<typeof factsBody>;
export type DecisionBody = z.infer<typeof decisionBody>;
export type StageBody = z.infer<typeof stageBody>;
export type PreviewQuery = z.output<typeof previewQuery>;
export type Preview = z.infer<typeof previewSchema>;
export type Deadlines = z.infer<typeof deadlinesSchema>;
export type DeadlinesQuery = z.infer<typeof deadlinesQuery>;
