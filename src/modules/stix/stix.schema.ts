import { z } from 'zod';

/*
 * Request and answer shapes of the STIX routes. A STIX object keeps every property it has (a loose
 * object): only the common ones are described, each type defines the rest (STIX 2.1 §3-§7).
 */
export const stixObjectSchema = z
  .looseObject({
    type: z.string(),
    id: z.string(),
    spec_version: z.string().optional(),
  })
  .describe('a STIX 2.1 object (its other properties as its type defines them)');

export const stixBundleSchema = z
  .object({
    type: z.literal('bundle'),
    id: z.string(),
    objects: z.array(stixObjectSchema),
  })
  .describe(
    'a STIX 2.1 bundle: the incident (Incident with the incident core extension, Impact, Identity, Relationship) and the TLP 2.0 marking definitions it references',
  );

export const importBundleBody = z
  .looseObject({
    type: z.literal('bundle'),
    id: z.string().max(300),
    objects: z
      .array(z.unknown())
      .max(10_000)
      .describe(
        'each object is checked on its own: an invalid one is refused with its reason, the others kept',
      ),
  })
  .describe('a STIX 2.1 bundle to store as incoming intelligence');

export const importResultSchema = z.object({
  received: z.number().describe('objects in the bundle'),
  new: z
    .number()
    .describe('valid object versions not held before (the same id and modified again is not new)'),
  refused: z
    .array(z.object({ id: z.string(), reason: z.string() }))
    .describe('objects refused, with the STIX rule each breaks'),
});

export const TRIAGE_STATES = ['new', 'accepted', 'dismissed'] as const;

export const intelItemSchema = z.object({
  id: z.number(),
  stix_id: z.string(),
  type: z.string(),
  spec_version: z.string(),
  modified: z.string(),
  source: z.string().describe("'file:<name>', 'taxii:<url>#<collection>' or 'api'"),
  received_at: z.string(),
  triage_state: z.enum(TRIAGE_STATES),
  decided_by: z.number().nullable(),
  decided_at: z.string().nullable(),
  object: stixObjectSchema,
});

export const intelPageSchema = z.object({
  items: z.array(intelItemSchema),
  next_after: z.number().nullable().describe('`after` for the next page; null on the last'),
});

export const intelQuery = z.strictObject({
  state: z.enum(TRIAGE_STATES).optional().describe('triage state (default: every state)'),
  type: z.string().max(250).optional().describe('STIX type, e.g. indicator, vulnerability, report'),
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional()
    .describe('next_after of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const triageBody = z.strictObject({ triage_state: z.enum(TRIAGE_STATES) });

export type StixBundleView = z.infer<typeof stixBundleSchema>;
export type ImportBundleBody = z.infer<typeof importBundleBody>;
export type IntelItem = z.infer<typeof intelItemSchema>;
export type IntelPage = z.infer<typeof intelPageSchema>;
export type IntelQuery = z.infer<typeof intelQuery>;
export type TriageState = (typeof TRIAGE_STATES)[number];
