import { Readable } from 'node:stream';
import { z } from 'zod';
import { RECORD_ACTIONS } from '../../access/index.js';
import { TLP_LEVELS } from '../../domain/tlp.js';
import {
  classificationSchemas,
  incidentTime,
  instantSchema,
  newReportSchema,
  requireFields,
  STAGE_REPORT_REQUIRED,
  text,
} from '../../domain/report-line.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { CHANNELS, STAGES } from '../../domain/taxonomy.js';
import { STATES } from '../../domain/lifecycle.js';
import { indicatorsSchema, indicatorViewSchema } from '../indicators/index.js';
import { DIRECTIONS, SORTS } from './list-sort.js';

/*
 * The answers' shapes: the same whatever the taxonomy (codes are plain strings in an answer), so
 * they are declared once here and are the only source of the answers' types: the presenter
 * (incident.view.ts) builds these, and the web UI imports the types (type-only, nothing bundled).
 */
export const classificationViewSchema = z.object({
  event: z.string(),
  causes: z.array(z.string()),
  attack_type: z.string().nullable(),
});
export const stageViewSchema = z.object({
  id: z.number(),
  stage: z.string().nullable(),
  received_at: z.string(),
  received_at_as_sent: z.string(),
  organization: z.string().nullable(),
  sector: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  classification: classificationViewSchema.nullable(),
  occurred_at: z.string().nullable().describe('when the incident happened, as this report said (UTC)'),
  detected_at: z.string().nullable().describe('when the incident was detected, as this report said (UTC)'),
  created_at: z.string(),
});
export const incidentViewSchema = z.object({
  id: z.number(),
  ref: z.string(),
  channel: z.string(),
  organization: z.string().nullable(),
  sector: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  stage: z.string().nullable(),
  first_received_at: z
    .string()
    .describe('earliest report: decides the fiscal quarter the incident counts in'),
  last_received_at: z.string(),
  occurred_at: z
    .string()
    .nullable()
    .describe('when the incident happened (発生日時, UTC): the latest report that named it decides'),
  detected_at: z
    .string()
    .nullable()
    .describe('when the incident was detected (検知日時, UTC): the latest report that named it decides'),
  fiscal_year: z.number(),
  fiscal_quarter: z.number(),
  classification: classificationViewSchema.extend({ by: z.enum(['center', 'reporter']) }).nullable(),
  reporter_classification: classificationViewSchema.nullable(),
  center_classification: classificationViewSchema.extend({ classified_at: z.string().nullable() }).nullable(),
  tlp: z.enum(TLP_LEVELS).describe('TLP 2.0 marking: who may receive this record'),
  state: z.enum(STATES).describe('lifecycle: received counts; rejected and withdrawn count nowhere'),
  state_reason: z
    .string()
    .nullable()
    .describe('why: a reject reason code, or withdrawn; null while received'),
  state_note: z.string().nullable(),
  state_changed_at: z.string().nullable(),
  final_received_at: z
    .string()
    .nullable()
    .describe(
      'received time of the final report that closed it: reports received later are refused until the center reopens it',
    ),
  version: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  actions: z
    .array(z.enum(RECORD_ACTIONS))
    .describe(
      'what you may do with this incident: add_report (a stage report), classify, change_state (reject, withdraw, restore, reopen), read_conversation (you take part in its conversation)',
    ),
  reports: z.array(stageViewSchema).optional(),
  indicators: z
    .array(indicatorViewSchema)
    .optional()
    .describe(
      'its indicators you may receive (each has its own TLP marking); with one incident, not in lists',
    ),
});
export const writeReceiptSchema = z
  .strictObject({
    id: z.number(),
    ref: z.string(),
    channel: z.string(),
    tlp: z.enum(TLP_LEVELS),
    version: z.number(),
    updated_at: z.string(),
    center_classification: incidentViewSchema.shape.center_classification.optional(),
  })
  .describe(
    "the answer to a write made with a token without the read scope: the record's id and version and what was written",
  );
/** What a write answers: the incident as the caller may read it, or a receipt. */
export const writtenSchema = z.union([incidentViewSchema, writeReceiptSchema]);
export const incidentPageSchema = z.object({
  items: z.array(incidentViewSchema),
  next_cursor: z.string().nullable(),
  total: z
    .number()
    .nullable()
    .describe(
      'how many records the filter matches, up to 10,000 (on the first page; null on the following ones)',
    ),
  total_capped: z.boolean().describe('true: the filter matches more than `total` records'),
});

/**
 * The 200 answer of the CSV export: a stream (written a batch at a time, never whole in memory);
 * JSON Schema has no such type, so it is documented as the text it carries.
 */
export const csvExportResponse = {
  description: 'CSV, UTF-8 with a byte-order mark: a header line, then one line per incident',
  content: {
    'text/csv': {
      schema: z
        .custom<Readable>((value) => value instanceof Readable)
        .meta({ type: 'string', description: 'the incidents, one per line' }),
    },
  },
};

export type ClassificationView = z.infer<typeof classificationViewSchema>;
export type StageView = z.infer<typeof stageViewSchema>;
export type IncidentView = z.infer<typeof incidentViewSchema>;
/**
 * The answer to a write made with a token that may not read (a classify-only or write-only token):
 * which record, its version now, and what the write set; none of the record's content.
 */
export type WriteReceipt = z.infer<typeof writeReceiptSchema>;
export type IncidentPage = z.infer<typeof incidentPageSchema>;

/** Request shapes of the incident routes, built from the taxonomy so the docs list its codes; and the answers. */
export function incidentSchemas(taxonomy: Taxonomy) {
  const { event, causes, attackType } = classificationSchemas(taxonomy);
  const sector = z.enum(taxonomy.data.sectors.map((s) => s.code) as [string, ...string[]]);
  const code = (values: readonly { code: string }[]) =>
    z.enum(values.map((v) => v.code) as [string, ...string[]]);

  const newReport = newReportSchema(taxonomy).describe(
    'a report line; ref is optional here (the server derives one from the content when absent)',
  );
  const stageReport = z
    .strictObject({
      stage: z
        .enum(STAGES)
        .default('update')
        .describe('update 続報 or final 最終報 (initial is allowed for corrections)'),
      received_at: instantSchema(),
      occurred_at: incidentTime(
        'when the incident happened, to fill in or correct what earlier reports said',
      ),
      detected_at: incidentTime('when the incident was detected, to fill in or correct earlier reports'),
      title: text(500).min(1).optional().describe('new title, if it changed'),
      description: text(20_000, true).describe('what this report says (required, not blank)'),
      sector: sector.optional(),
      event,
      causes,
      attack_type: attackType.default(null),
      indicators: indicatorsSchema.optional(),
    })
    .superRefine((report, ctx) => requireFields(report, STAGE_REPORT_REQUIRED, ctx, 'for a stage report'))
    .describe('a further stage report on an operator incident');
  const share = z
    .strictObject({
      ref: text(200).min(1).optional(),
      received_at: instantSchema(),
      title: text(500).min(1),
      body: text(20_000, true),
      tlp: z
        .enum(TLP_LEVELS)
        .optional()
        .describe('TLP 2.0 marking (default AMBER for agency shares, GREEN for center provisions)'),
    })
    .describe('an agency share or a center provision');
  const classification = z
    .strictObject({ event, causes, attack_type: attackType })
    .describe("the center's classification; it counts instead of the reporter's");

  const listFilter = z.strictObject({
    fy: z.coerce.number().int().min(1900).max(9999).optional().describe('fiscal year'),
    quarter: z.coerce.number().int().min(1).max(4).optional().describe('fiscal quarter 1-4 (needs fy)'),
    sector: sector.optional(),
    channel: z.enum(CHANNELS).optional(),
    event: code(taxonomy.data.events).optional(),
    cause: code(taxonomy.data.causes).optional(),
    attack_type: code(taxonomy.data.attack_types).optional(),
    stage: z.enum(STAGES).optional().describe('latest stage'),
    tlp: z.enum(TLP_LEVELS).optional().describe('TLP marking'),
    q: text(200).optional().describe('free text, found anywhere in the title, the description or the ref'),
    review: z
      .enum(['pending', 'unclassified', 'changed'])
      .optional()
      .describe(
        "the center's review queue: unclassified (no center classification yet), changed (reported on since it was classified), pending (either)",
      ),
    state: z
      .enum([...STATES, 'all'])
      .optional()
      .describe('lifecycle state (default received); rejected, withdrawn and all for the center only'),
    mine: z.stringbool().optional().describe("true: only your own organisation's records"),
    sort: z
      .enum(SORTS)
      .optional()
      .describe('received (default), sector or stage (in filing order); ties by received time, then id'),
    order: z.enum(DIRECTIONS).optional().describe('desc (default) or asc, for the key and its ties alike'),
  });
  const listQuery = listFilter.extend({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(200)
      .optional()
      .describe('next_cursor of the previous page (same filter and sort)'),
  });
  return {
    newReport,
    stageReport,
    share,
    classification,
    incident: incidentViewSchema,
    written: writtenSchema,
    listFilter,
    listQuery,
    exportQuery: listFilter.extend({
      lang: z.enum(['ja', 'en']).optional().describe('language of the label columns'),
    }),
    csv: csvExportResponse,
    idParams: z.strictObject({
      id: z.coerce
        .number()
        .int()
        .min(1)
        .max(2 ** 31 - 1),
    }),
    list: incidentPageSchema,
  };
}
