import type { FieldError } from '../domain/field-errors.js';

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
  | 'time_in_future'
  | 'detected_before_occurred'
  | 'received_before_detected'
  | 'received_before_occurred'
  | 'sector_mismatch'
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
  | 'time_out_of_order'
  | 'lesson_state'
  | 'lesson_own_approval'
  | 'lesson_not_anonymous'
  | 'feed_unreadable'
  | 'quarter_not_published'
  | 'unknown_regime'
  | 'unknown_stage'
  | 'obligation_not_confirmed'
  | 'consent_required'
  | 'regime_invalid'
  | 'database_unavailable'
  | 'not_acceptable'
  | 'unprocessable'
  | 'internal_error';

/**
 * The HTTP status of each code: an error's kind decides its status, so a call site names only the
 * code (a conflict is always 409, a missing record always 404).
 */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  body_too_large: 413,
  body_too_deep: 400,
  unsupported_media_type: 415,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  route_not_found: 404,
  bad_url: 400,
  method_not_allowed: 405,
  ref_channel_conflict: 409,
  organization_mismatch: 403,
  unknown_organization: 400,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  conflict: 409,
  precondition_failed: 412,
  received_at_out_of_range: 400,
  time_in_future: 400,
  detected_before_occurred: 400,
  received_before_detected: 400,
  received_before_occurred: 400,
  sector_mismatch: 403,
  incident_final: 409,
  incident_rejected: 409,
  incident_withdrawn: 409,
  lifecycle_conflict: 409,
  import_failed: 422,
  invalid_credentials: 401,
  account_locked: 429,
  rate_limited: 429,
  mfa_required: 401,
  mfa_invalid: 401,
  mfa_not_enrolled: 409,
  csrf_failed: 403,
  weak_password: 400,
  password_change_required: 403,
  approval_own_request: 403,
  approval_expired: 409,
  approval_decided: 409,
  period_not_ended: 409,
  period_already_closed: 409,
  period_not_closed: 409,
  time_out_of_order: 400,
  lesson_state: 409,
  lesson_own_approval: 403,
  lesson_not_anonymous: 422,
  feed_unreadable: 422,
  quarter_not_published: 409,
  unknown_regime: 400,
  unknown_stage: 400,
  obligation_not_confirmed: 409,
  consent_required: 403,
  regime_invalid: 400,
  database_unavailable: 503,
  not_acceptable: 406,
  unprocessable: 422,
  internal_error: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[] | Record<string, unknown>,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what = 'incident'): AppError => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'not allowed for your role'): AppError =>
  new AppError('forbidden', message);
