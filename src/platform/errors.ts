import type { FieldError } from '../domain/report-line.js';

/** The closed set of machine-readable error codes; clients script against these. */
export type ErrorCode =
  | 'validation_failed'
  | 'malformed_json'
  | 'body_too_large'
  | 'body_too_deep'
  | 'unsupported_media_type'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'route_not_found'
  | 'bad_url'
  | 'method_not_allowed'
  | 'ref_channel_conflict'
  | 'organization_mismatch'
  | 'unknown_organization'
  | 'idempotency_key_reused'
  | 'idempotency_in_progress'
  | 'conflict'
  | 'precondition_failed'
  | 'received_at_out_of_range'
  | 'incident_final'
  | 'incident_rejected'
  | 'incident_withdrawn'
  | 'lifecycle_conflict'
  | 'import_failed'
  | 'invalid_credentials'
  | 'account_locked'
  | 'rate_limited'
  | 'mfa_required'
  | 'mfa_invalid'
  | 'mfa_not_enrolled'
  | 'csrf_failed'
  | 'weak_password'
  | 'password_change_required'
  | 'approval_own_request'
  | 'approval_expired'
  | 'approval_decided'
  | 'period_not_ended'
  | 'period_already_closed'
  | 'period_not_closed'
  | 'database_unavailable'
  | 'internal_error';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[] | Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'incident'): AppError => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'not allowed for your role'): AppError =>
  new AppError(403, 'forbidden', message);
