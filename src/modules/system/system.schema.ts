import { z } from 'zod';
import { callerSchema } from '../auth/index.js';

/** Response shapes of the system routes: the one source of their types (the web UI imports them). */

export const healthSchema = z.object({ status: z.literal('ok'), database: z.string() });

export const meSchema = callerSchema.extend({
  actions: callerSchema.shape.actions.describe(
    "the actions you may take: your role's grants within your token's scopes",
  ),
});

const label = z.object({ code: z.string(), ja: z.string(), en: z.string() });
const grouped = label.extend({ group: z.string().describe('the code of its group') });

/** The classification vocabulary as configured (the taxonomy file, src/domain/taxonomy.ts). */
export const taxonomySchema = z
  .object({
    id: z.string(),
    title_ja: z.string(),
    title_en: z.string(),
    notes: z.array(z.string()).optional().describe("the file's notes on its sources"),
    channels: z.array(label),
    event_groups: z.array(label),
    events: z.array(grouped),
    cause_groups: z.array(label),
    causes: z.array(grouped),
    attack_types: z.array(label),
    report_stages: z.array(label),
    ministries: z.array(label),
    sectors: z.array(
      label.extend({
        from: z.string().optional().describe('first day it exists (YYYY-MM-DD)'),
        to: z.string().optional().describe('the day it ends (YYYY-MM-DD)'),
        ministries: z.array(
          z.object({
            ministry: z.string(),
            from: z.string(),
            to: z.string().optional(),
            role: z.string().optional(),
          }),
        ),
      }),
    ),
    tlp: z.array(z.object({ code: z.string(), label: z.string() })),
  })
  .describe('channels, event types, causes, attack types, stages, ministries and sectors with ja/en labels');

export type Health = z.infer<typeof healthSchema>;
export type Me = z.infer<typeof meSchema>;
export type Labelled = z.infer<typeof label>;
export type TaxonomyAnswer = z.infer<typeof taxonomySchema>;
