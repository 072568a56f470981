import { z } from 'zod';
import { ACTIONS, ROLES } from '../../access/index.js';
import { text } from '../../domain/report-line.js';
import { MAX_PASSWORD_LENGTH } from './password.js';

/**
 * Request and response shapes of the sign-in routes and of who the caller is (GET /me too): the
 * one source of their types, which the web UI imports (type-only).
 */

/** Who the caller is and what it may do: the server's grants within the token's scopes. */
export const callerSchema = z.object({
  email: z.string(),
  role: z.enum(ROLES),
  organization: z.string(),
  sectors: z.array(z.string()),
  organization_sectors: z
    .array(z.string())
    .describe('the sectors your organisation reports under; empty when none is recorded (any sector)'),
  actions: z.array(z.enum(ACTIONS)).describe('what you may do (as GET /api/v1/me lists it)'),
});

export const MFA_STATES = ['verified', 'required', 'setup_required', 'not_required'] as const;

export const sessionViewSchema = z
  .object({
    user: callerSchema,
    mfa: z
      .enum(MFA_STATES)
      .describe('the second factor: verified; required (enter a code); setup_required (set one up first)'),
    second_factor_required: z
      .boolean()
      .describe('your role signs in with a second factor: removing it means setting up a new one'),
    csrf_token: z
      .string()
      .nullable()
      .describe('send as X-CSRF-Token on every write made with the session cookie; null for token callers'),
    expires_at: z.string().nullable(),
    password_change_required: z
      .boolean()
      .describe('signed in with a temporary password: only POST /auth/password is reachable until changed'),
  })
  .describe('the signed-in session');

export const loginBodySchema = z.strictObject({
  email: text(320),
  password: z.string().max(MAX_PASSWORD_LENGTH),
});

export const codeBodySchema = z.object({ code: z.string().max(10).describe('the 6-digit one-time code') });

export const reauthBodySchema = z.strictObject({
  password: z.string().max(MAX_PASSWORD_LENGTH).describe('your current password (re-authentication)'),
});

export const passwordChangeBodySchema = z.strictObject({
  current_password: z.string().max(MAX_PASSWORD_LENGTH),
  new_password: z.string().max(MAX_PASSWORD_LENGTH),
});

export const totpSetupSchema = z
  .object({ secret: z.string(), otpauth_uri: z.string() })
  .describe('the new secret, shown once: enter it (or the URI as a QR code) into an authenticator app');

export type Caller = z.infer<typeof callerSchema>;
export type SessionView = z.infer<typeof sessionViewSchema>;
export type MfaState = SessionView['mfa'];
export type TotpSetup = z.infer<typeof totpSetupSchema>;
