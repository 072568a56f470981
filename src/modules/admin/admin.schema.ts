import { z } from 'zod';

export { recordId as id, errorResponses as errors } from '../../platform/http/error-response.js';
export { token } from '../auth/token.schema.js';

export const user = z.object({
  id: z.number(),
  email: z.string(),
  role: z.string(),
  organization: z.string(),
  sectors: z.array(z.string()),
  mfa_enabled: z.boolean(),
  locked: z.boolean(),
  disabled: z.boolean(),
  created_at: z.string(),
});

export const approval = z
  .object({
    id: z.number(),
    kind: z.enum(['create_user', 'set_role', 'reset_password', 'reset_mfa']),
    status: z.enum(['pending', 'approved', 'rejected', 'expired']),
    target: z.object({ id: z.number(), email: z.string() }).nullable(),
    payload: z.object({
      email: z.string().optional(),
      organization: z.string().optional(),
      role: z.string().optional(),
      sectors: z.array(z.string()).optional(),
    }),
    requested_by: z.string(),
    requested_at: z.string(),
    expires_at: z.string(),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
  })
  .describe('a request under the two-person rule');

/** The answer of a change that must wait for a second admin. */
export const pendingAnswer = z
  .object({ approval })
  .describe('waiting for a second admin: approve or reject it through /admin/approvals/{id}');
