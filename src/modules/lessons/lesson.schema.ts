import { z } from 'zod';
import { LESSON_ACTIONS, LESSON_STATES } from '../../domain/lesson-workflow.js';
import { TLP_LEVELS } from '../../domain/tlp.js';

/** Request and response shapes of part 3's lessons learned. */

const text = (max: number) =>
  z.strictObject({
    ja: z.string().trim().min(1).max(max),
    en: z.string().trim().max(max).default('').describe('empty: the English edition shows the Japanese'),
  });

export const lessonBody = z.strictObject({
  fiscal_year: z.number().int().min(1900).max(9999),
  quarter: z.number().int().min(1).max(4),
  heading: text(200),
  body: text(4000),
  tlp: z.enum(TLP_LEVELS).default('CLEAR').describe('the public edition sets only TLP:CLEAR lessons'),
  incident_ids: z
    .array(z.number().int().positive())
    .max(100)
    .default([])
    .describe('the incidents it draws on: their organisations are what the anonymity check looks for'),
});

export const findingSchema = z.object({
  kind: z
    .string()
    .describe('name, alias, domain, host, address, email, ip_address, hostname, uniqueness, ...'),
  text: z.string(),
  field: z.string().describe('heading_ja, heading_en, body_ja or body_en'),
  offset: z.number(),
  line: z.number(),
  owner: z.string().optional().describe('the organisation a known identifier belongs to'),
});

export const lessonSchema = z.object({
  id: z.number(),
  fiscal_year: z.number(),
  quarter: z.number(),
  heading: z.object({ ja: z.string(), en: z.string() }),
  body: z.object({ ja: z.string(), en: z.string() }),
  tlp: z.string(),
  state: z.enum(LESSON_STATES),
  author_id: z.number(),
  author: z.string(),
  approved_by: z.number().nullable(),
  approved_at: z.string().nullable(),
  published_at: z.string().nullable(),
  revision: z.number(),
  incident_ids: z.array(z.number()),
  findings: z.array(findingSchema).describe('what the anonymity check finds now; approval needs none'),
  updated_at: z.string(),
});

export const lessonListQuery = z.strictObject({
  fy: z.coerce.number().int().min(1900).max(9999),
  quarter: z.coerce.number().int().min(1).max(4),
});

export const lessonActionBody = z.strictObject({ action: z.enum(LESSON_ACTIONS) });

export const candidateSchema = z.object({
  cause: z.string().nullable(),
  cause_ja: z.string().nullable(),
  cause_en: z.string().nullable(),
  attack_type: z.string().nullable(),
  attack_type_ja: z.string().nullable(),
  attack_type_en: z.string().nullable(),
  count: z.number(),
  incidents: z.array(
    z.object({ id: z.number(), ref: z.string(), title: z.string(), sector: z.string().nullable() }),
  ),
});
export const candidatesSchema = z.object({
  fiscal_year: z.number(),
  quarter: z.number(),
  incidents: z.number().describe('operator reports counted in the quarter'),
  groups: z.array(candidateSchema).describe('by cause and attack type, the largest first'),
  slow_escalations: z
    .array(z.object({ id: z.number(), ref: z.string(), minutes: z.number() }))
    .describe(
      'the quarter’s slowest escalations (aware to management informed, at or above its 90th percentile)',
    ),
  aware_to_management_median_minutes: z.number().nullable(),
});

export type LessonBody = z.infer<typeof lessonBody>;
export type LessonView = z.infer<typeof lessonSchema>;
export type LessonCandidates = z.infer<typeof candidatesSchema>;
