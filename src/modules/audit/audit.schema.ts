import { z } from 'zod';
import { instantSchema, text } from '../../domain/report-line.js';

/** The answers' shapes: the one source of their types (the web UI imports them, type-only). */
export const auditEntrySchema = z
  .object({
    id: z.number(),
    chain: z.number().describe('the hash chain this entry belongs to'),
    seq: z.number().describe('position in its chain, from 1'),
    at: z.string().describe('when (UTC)'),
    actor_user_id: z.number().nullable().describe('the user, or null for a CLI command'),
    actor: z.string().describe("the user's email, or cli:<command>"),
    action: z.string().describe('what was done, e.g. incident.read'),
    object_type: z.string().nullable(),
    object_id: z.string().nullable(),
    ip: z.string().nullable().describe('where the request came from'),
    request_id: z.string().nullable().describe('x-request-id of the request'),
    details: z
      .unknown()
      .describe(
        'action-specific facts, e.g. the filter of a list or the counts of an import; null when withheld',
      ),
    details_hidden: z
      .boolean()
      .describe(
        'true when the details are withheld: the record is one you may not see, or a search (shown to the center only)',
      ),
    hash_version: z.number().describe('1: the hash does not cover the id (older entries); 2: it does'),
    prev_hash: z
      .string()
      .nullable()
      .describe("hash of the previous entry in the chain (the center's readers only)"),
    hash: z
      .string()
      .nullable()
      .describe(
        'sha256 over prev_hash and this entry (see README, Audit trail); null when the details are withheld',
      ),
  })
  .describe('one audit entry');
export const auditPageSchema = z.object({
  items: z.array(auditEntrySchema),
  next_cursor: z.string().nullable(),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;

/** Request and response shapes of the audit routes. */
export function auditSchemas() {
  const listQuery = z.strictObject({
    object_type: text(50).optional().describe('what kind of object: incident, file, audit'),
    object_id: text(200).optional().describe("the object's id, e.g. an incident id"),
    actor_user_id: z.coerce
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1)
      .optional()
      .describe('entries of this user only'),
    action: text(100).optional().describe('e.g. incident.read, incident.create, import.file'),
    from: instantSchema().optional().describe('entries at or after this instant'),
    to: instantSchema().optional().describe('entries before this instant'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
  });
  return {
    listQuery,
    page: auditPageSchema,
  };
}
