import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { FieldError } from '../../domain/field-errors.js';
import { characterOf, issueCode } from '../../domain/field-errors.js';
import type { ErrorCode } from '../errors.js';
import { AppError } from '../errors.js';
import type { IssueParams } from './field-messages.js';
import { fieldMessage, localizeDetails } from './field-messages.js';
import type { Lang } from './messages.js';
import { languageOf, messageFor } from './messages.js';

// PostgreSQL unreachable, restarting or shutting down: nothing was stored, the client should retry.
// Codes: socket errors, class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot
// connect now). pg gives a dropped connection no code, only these messages.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  // Deadlock or serialisation failure: nothing was stored, the same request can simply be retried.
  '40P01',
  '40001',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connect ECONNREFUSED|Client has encountered a connection error|timeout exceeded when trying to connect/;
/** Seconds a client is asked to wait: about what a PostgreSQL restart or failover takes. */
const RETRY_AFTER_SECONDS = '2';

function isDatabaseUnavailable(error: { code?: unknown; message?: unknown; errors?: unknown }): boolean {
  const code = String(error.code);
  if (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (typeof error.message === 'string' && UNAVAILABLE_MESSAGE.test(error.message)) return true;
  // Connecting to a host name with several addresses fails with an AggregateError of each attempt.
  return (
    Array.isArray(error.errors) &&
    error.errors.some((e) => typeof e === 'object' && e !== null && isDatabaseUnavailable(e as typeof error))
  );
}

/** What an error is, for a context that answers errors in a shape of its own (TAXII's error resource). */
export interface ErrorParts {
  status: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
  requestId: string;
}
export type ErrorRenderer = (reply: FastifyReply, error: ErrorParts) => unknown;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Renders this route's errors, the gate's refusals included, instead of the one error shape. */
    renderError?: ErrorRenderer;
  }
}

/**
 * Sends the one error shape (or the route's own, see renderError), all of it in the request's language (Accept-Language, Japanese by
 * default): the message, and every message in the details (see field-messages.ts).
 */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  details?: unknown,
  message?: string,
) {
  const lang = languageOf(request.headers['accept-language']);
  return answer(request, reply, lang, status, code, localizeDetails(details, lang), message);
}

function answer(
  request: FastifyRequest,
  reply: FastifyReply,
  lang: Lang,
  status: number,
  code: ErrorCode,
  details: unknown,
  message?: string,
) {
  const wait = (details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
  if (typeof wait === 'number') reply.header('retry-after', String(wait));
  const text = lang === 'en' && message ? message : messageFor(code, lang);
  const render = request.routeOptions.config?.renderError;
  if (render) {
    const parts = { status, code, message: text, details, requestId: request.id };
    return reply.status(status).send(render(reply, parts));
  }
  return reply.status(status).send({
    error: {
      code,
      message: text,
      ...(details === undefined ? {} : { details }),
    },
    request_id: request.id,
  });
}

/** The stable code of a 4xx raised by Fastify or a plugin (static files, say) rather than by kyoyu. */
function frameworkCode(status: number): ErrorCode {
  switch (status) {
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'body_too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return 'validation_failed';
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError)
      return sendError(request, reply, error.status, error.code, error.details, error.message);
    if (hasZodFastifySchemaValidationErrors(error)) {
      // Built in the request's language here, where the issue's parameters (a length limit, the
      // allowed codes) are still at hand for the message.
      const lang = languageOf(request.headers['accept-language']);
      const details: FieldError[] = error.validation.map((v) => {
        const path = v.instancePath.split('/').filter(Boolean);
        const field = [error.validationContext, ...path].join('.');
        const input =
          error.validationContext === 'body'
            ? request.body
            : error.validationContext === 'querystring'
              ? request.query
              : request.params;
        const issue = { ...(v.params as object), code: v.keyword, path };
        const code = issueCode(issue, input);
        const at = characterOf(issue);
        const params: IssueParams = { ...(v.params as IssueParams), ...at };
        return { field, code, message: fieldMessage(code, v.message ?? 'invalid', lang, params), ...at };
      });
      return answer(request, reply, lang, 400, 'validation_failed', details);
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
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', RETRY_AFTER_SECONDS);
      return sendError(request, reply, 503, 'database_unavailable');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(
        request,
        reply,
        error.statusCode,
        frameworkCode(error.statusCode),
        undefined,
        error.message,
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, 500, 'internal_error');
  });
  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404, 'route_not_found'));
}
