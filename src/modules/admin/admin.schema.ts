import { ORGANIZATION_FLAGS } from '../../domain/regimes.js';
import { z } from 'zod';
import { ROLES } from '../../access/index.js';
import { text } from '../../domain/report-line.js';
import { recordId as id } from '../../platform/http/error-response.js';
import { issuedToken, issueTokenBody, token } from '../auth/index.js';

/**
 * Request and response shapes of the admin routes (and of one's own tokens): the one source of
 * their types, which the web UI imports (type-only).
 */

export { id, issuedToken, issueTokenBody, token };
export { errorResponses as errors } from '../../platform/http/error-response.js';

export const userParams = z.strictObject({ id });
export const tokenParams = z.strictObject({ id, tokenId: id });

export const organization = z.object({
  id: z.number(),
  name: z.string(),
  sector: z.string().nullable(),
  created_at: z.string(),
  flags: z
    .array(z.enum(ORGANIZATION_FLAGS))
    .describe('designated_operator, eu_entity, us_covered_entity (PUT /organizations/{id}/flags)'),
});

const sectors = z.array(z.string().max(64)).max(50).optional().describe('sectors a sector desk reads');

export const createUserBody = z.strictObject({
  email: text(320),
  organization: text(200).min(1).describe('created if new'),
  role: z.enum(ROLES),
  sectors,
});
export const roleBody = z.strictObject({ role: z.enum(ROLES), sectors });
export const disabledBody = z.strictObject({ disabled: z.boolean() });

// The stored role (one of ROLES): the repository reads it as text.
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

export const createdUser = z.object({ id: z.number() }).describe('the new user');
export const temporaryPassword = z
  .object({ temporary_password: z.string() })
  .describe('shown once: changed at the next sign-in');
export const approvalAnswer = z.object({ approval });

export const approvedAnswer = z.object({
  approval,
  temporary_password: z.string().optional().describe('an approved password reset: shown once'),
  user_id: z.number().optional().describe('an approved creation: the new user'),
});

/** The answer of a change that must wait for a second admin. */
export const pendingAnswer = z
  .object({ approval })
  .describe('waiting for a second admin: approve or reject it through /admin/approvals/{id}');

export type AdminUser = z.infer<typeof user>;
export type Organization = z.infer<typeof organization>;
export type ApiToken = z.infer<typeof token>;
export type Approval = z.infer<typeof approval>;
export type CreatedUser = z.infer<typeof createdUser>;
export type TemporaryPassword = z.infer<typeof temporaryPassword>;
export type ApprovalAnswer = z.infer<typeof approvalAnswer>;
export type PendingAnswer = z.infer<typeof pendingAnswer>;
export type ApprovedAnswer = z.infer<typeof approvedAnswer>;
export type CreateUserBody = z.input<typeof createUserBody>;
export type IssueTokenBody = z.input<typeof issueTokenBody>;
