import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { FieldError } from '../domain/report-line.js';
import type { ErrorCode } from '../errors.js';
import { AppError } from '../errors.js';
import { languageOf, messageFor } from './messages.js';

// PostgreSQL unreachable or shutting down: the client should retry, nothing was stored.
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode, details?: unknown, message?: string) {
  const lang = languageOf(request.headers['accept-language']);
  return reply.status(status).send({
    error: { code, message: lang === 'en' && message ? message : messageFor(code, lang), ...(details === undefined ? {} : { details }) },
    request_id: request.id,
  });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendError(request, reply, error.status, error.code, error.details, error.message);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details: FieldError[] = error.validation.map((v) => {
        const params = v.params as { issue?: { code?: string; params?: { code?: string }; input?: unknown } };
        const issue = params.issue;
        const field = [error.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.');
        return { field, code: fieldCode(issue), message: v.message ?? 'invalid' } as FieldError;
      });
      return sendError(request, reply, 400, 'validation_failed', details);
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(request, reply, 413, 'body_too_large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(request, reply, 415, 'unsupported_media_type');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendError(request, reply, 400, 'malformed_json');
    }
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return sendError(request, reply, 400, 'malformed_json');
    }
    if (UNAVAILABLE.has(String(error.code)) || /Connection terminated|connect ECONNREFUSED/.test(error.message)) {
      request.log.warn({ err: error }, 'database unavailable');
      return sendError(request, reply, 503, 'database_unavailable');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(request, reply, error.statusCode, error.statusCode === 405 ? 'method_not_allowed' : 'validation_failed', undefined, error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, 500, 'internal_error');
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, 'route_not_found'));
}

function fieldCode(issue: { code?: string; params?: { code?: string }; input?: unknown } | undefined): string {
  if (!issue) return 'invalid_value';
  if (issue.code === 'custom') return issue.params?.code ?? 'invalid_value';
  if (issue.code === 'invalid_type') return issue.input === undefined ? 'required' : 'invalid_type';
  if (issue.code === 'too_small') return 'too_short';
  if (issue.code === 'too_big') return 'too_long';
  if (issue.code === 'invalid_value') return 'unknown_code';
  if (issue.code === 'unrecognized_keys') return 'unknown_field';
  return 'invalid_value';
}
