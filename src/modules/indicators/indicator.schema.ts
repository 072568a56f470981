import { z } from 'zod';
import { INDICATOR_TYPES } from '../../domain/indicators.js';
import { indicatorInputSchema, indicatorsSchema } from '../../domain/indicator-input.js';
import { TLP_LEVELS } from '../../domain/tlp.js';

/*
 * The shapes of indicators on reports: one indicator as a report (or an advisory) gives it, as an
 * answer shows it, and what is found in the free text. The input's rule lives in the domain
 * (src/domain/indicator-input.ts) because the report line, the import and the web form check with
 * it too; it is re-exported here as this module's request shape.
 */
export { indicatorInputSchema, indicatorsSchema };
export type { IndicatorInput, NormalIndicator } from '../../domain/indicator-input.js';

export const INDICATOR_SOURCES = ['reported', 'adopted'] as const;
export type IndicatorSource = (typeof INDICATOR_SOURCES)[number];

export const indicatorViewSchema = z.object({
  id: z.number(),
  type: z.enum(INDICATOR_TYPES),
  value: z.string().describe('in the normal form of its type'),
  tlp: z.enum(TLP_LEVELS).describe('TLP 2.0 marking of the indicator (may be stricter than the incident’s)'),
  source: z.enum(INDICATOR_SOURCES).describe('reported with a report, or adopted from the free text'),
  created_at: z.string(),
});
export type IndicatorView = z.infer<typeof indicatorViewSchema>;

export const indicatorListSchema = z.object({
  incident_id: z.number(),
  items: z.array(indicatorViewSchema).describe('the indicators you may receive, in the order stored'),
  may_adopt: z.boolean().describe('whether you may add indicators to this incident (POST)'),
});
export type IndicatorList = z.infer<typeof indicatorListSchema>;

export const suggestionSchema = z.object({
  type: z.enum(INDICATOR_TYPES),
  value: z.string().describe('in normal form: what adopting it stores'),
  found_in: z
    .array(
      z.object({
        where: z
          .enum(['description', 'report'])
          .describe("the incident's description, or a stage report's text"),
        report_id: z.number().nullable().describe('the stage report, for `report`'),
        index: z.number().describe('position in that text (UTF-16 units, defanging undone)'),
        text: z.string().describe('as written'),
      }),
    )
    .describe('every place it was written'),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export const suggestionListSchema = z.object({
  incident_id: z.number(),
  items: z
    .array(suggestionSchema)
    .describe('indicators written in the text and not yet stored, in order found'),
  may_adopt: z.boolean().describe('whether you may adopt them (POST /incidents/:id/indicators)'),
});
export type SuggestionList = z.infer<typeof suggestionListSchema>;

export const adoptBodySchema = z
  .strictObject({ indicators: indicatorsSchema.min(1) })
  .describe('indicators to store on the incident (source adopted); ones already stored are left as they are');
export type AdoptBody = z.infer<typeof adoptBodySchema>;

export const adoptedSchema = indicatorListSchema.extend({
  added: z.number().describe('how many were new'),
});
export type Adopted = z.infer<typeof adoptedSchema>;
