import { z } from 'zod';
import { SCOPES } from '../../access/index.js';
import { text } from '../../domain/report-line.js';
import { recordId } from '../../platform/http/error-response.js';

/** An API token as its holder and admins see it (never the secret, which is shown once). */
export const token = z.object({
  id: z.number(),
  label: z.string(),
  scopes: z.array(z.string()),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

export const issueTokenBody = z.strictObject({
  label: text(100).min(1),
  scopes: z
    .array(z.enum(SCOPES))
    .min(1)
    .max(SCOPES.length)
    .optional()
    .describe('within your role; default: all your role has'),
  expires_in_days: z.number().int().min(1).max(365).default(90).describe('1 to 365 days; default 90'),
});
export const issuedToken = z.object({ token: z.string().describe('the token itself: shown once') });
export const tokenParams = z.strictObject({ id: recordId });
