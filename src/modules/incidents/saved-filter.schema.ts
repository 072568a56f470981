import { z } from 'zod';
import { text } from '../../domain/report-line.js';
import type { incidentSchemas } from './incident.schema.js';

type ListFilterSchema = ReturnType<typeof incidentSchemas>['listFilter'];

/** At most this many saved filters per user: a list to choose from, not a store. */
export const MAX_SAVED_FILTERS = 50;

/**
 * A saved filter's answer. The filter is kept as the list's query parameters (text, as they stand
 * in the page's address), so that the web UI opens the list with them as they are.
 */
export const savedFilterSchema = z.object({
  id: z.number(),
  name: z.string(),
  filter: z
    .record(z.string(), z.string())
    .describe('the list query parameters (GET /incidents without limit and cursor)'),
  created_at: z.string(),
});
export type SavedFilter = z.infer<typeof savedFilterSchema>;

/** The request shapes, built on the list's own filter schema (its taxonomy codes, its rules). */
export function savedFilterSchemas(listFilter: ListFilterSchema) {
  return {
    create: z
      .strictObject({
        name: text(100).trim().min(1).describe('your name for it; unique among your saved filters'),
        filter: listFilter,
      })
      .describe('a named filter of the incident list, visible to you only'),
    view: savedFilterSchema,
    list: z.array(savedFilterSchema),
    params: z.strictObject({
      id: z.coerce
        .number()
        .int()
        .min(1)
        .max(2 ** 31 - 1),
    }),
  };
}
