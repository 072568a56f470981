import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { FieldError } from '../domain/report-line.js';
import { issueCode } from '../domain/report-line.js';
import type { ErrorCode } from '../errors.js';
import { AppError } from '../errors.js';
import { languageOf, messageFor } from './messages.js';

// PostgreSQL unreachable or shutting down: the client should retry, nothing was stored.
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  details?: unknown,
  message?: string,
) {
  const lang = languageOf(request.headers['accept-language']);
  return reply.status(status).send({
    error: {
      code,
      message: lang === 'en' && message ? message : messageFor(code, lang),
      ...(details === undefined ? {} : { details }),
    },
    request_id: request.id,
  });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError)
      return sendError(request, reply, error.status, error.code, error.details, error.message);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details: FieldError[] = error.validation.map((v) => {
        const path = v.instancePath.split('/').filter(Boolean);
        const field = [error.validationContext, ...path].join('.');
        const input =
          error.validationContext === 'body'
            ? request.body
            : error.validationContext === 'querystring'
              ? request.query
              : request.params;
        return {
          field,
          code: issueCode({ ...(v.params as object), code: v.keyword, path }, input),
          message: v.message ?? 'invalid',
        };
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
    if (
      UNAVAILABLE.has(String(error.code)) ||
      /Connection terminated|connect ECONNREFUSED/.test(error.message)
    ) {
      request.log.warn({ err: error }, 'database unavailable');
      return sendError(request, reply, 503, 'database_unavailable');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(
        request,
        reply,
        error.statusCode,
        error.statusCode === 405 ? 'method_not_allowed' : 'validation_failed',
        undefined,
        error.message,
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, 500, 'internal_error');
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, 'route_not_found'));
}
