import { z } from 'zod';
import type { LifecycleAction } from '../../domain/lifecycle.js';
import { REJECT_REASONS } from '../../domain/lifecycle.js';
import { text } from '../../domain/report-line.js';

/** The request bodies of the center's decisions on an incident (the answer is the incident). */

const note = text(2000, true).describe('free text kept with the record and in the audit trail');

export const LIFECYCLE_BODIES = {
  reject: z
    .strictObject({ reason: z.enum(REJECT_REASONS), note: note.optional() })
    .describe('why the center rejects the report (a note is required with other)'),
  withdraw: z.strictObject({ note }).describe("the reporter's request, recorded as a note"),
  restore: z.strictObject({ note: note.optional() }).describe('back to received: counted again'),
  reopen: z.strictObject({ note: note.optional() }).describe('a closed incident takes reports again'),
} satisfies Record<LifecycleAction, z.ZodType>;

export type LifecycleBody<A extends LifecycleAction> = z.input<(typeof LIFECYCLE_BODIES)[A]>;
