import { z } from 'zod';

/** Request and response shapes of the period routes: the one source of their types. */

const fy = z.coerce.number().int().min(2000).max(9999).describe('fiscal year, e.g. 2023');

export const periodListQuery = z.strictObject({ fy: fy.optional() });

export const periodParams = z.strictObject({
  fy,
  quarter: z.coerce.number().int().min(1).max(4).describe('fiscal quarter 1-4'),
});

export const periodSchema = z.object({
  fiscal_year: z.number(),
  quarter: z.number(),
  state: z.enum(['open', 'closed']),
  ended: z.boolean(),
  closed_at: z.string().nullable(),
  closed_by: z.string().nullable(),
  late_filings: z.number().nullable(),
});

export const periodListSchema = z.object({ items: z.array(periodSchema) });

export const lateFilingsSchema = z.object({
  fiscal_year: z.number(),
  quarter: z.number(),
  closed_at: z.string(),
  count: z.number(),
  items: z.array(
    z.object({
      id: z.number(),
      ref: z.string(),
      channel: z.string(),
      sector: z.string().nullable(),
      tlp: z.string(),
      first_received_at: z.string(),
      created_at: z.string(),
      updated_at: z.string(),
    }),
  ),
});

export type Period = z.infer<typeof periodSchema>;
export type LateFilings = z.infer<typeof lateFilingsSchema>;
