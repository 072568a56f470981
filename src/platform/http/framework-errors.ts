import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './error-handler.js';
import { setSecurityHeaders } from './security.js';

/**
 * Errors Fastify's router raises before any route or error handler runs: a path with broken
 * percent-encoding (`/incidents/%ff`) or a path segment longer than the router allows. Without this
 * they are answered in Fastify's own shape, not in kyoyu's one error shape. The app's onSend hooks
 * do not run for them either, so the headers every answer carries are set here.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reply.header('x-request-id', request.id);
  setSecurityHeaders(request, reply);
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      void sendError(request, reply, 400, 'bad_url');
      return;
    case 'FST_ERR_MAX_PARAM_LENGTH':
      void sendError(request, reply, 414, 'bad_url');
      return;
    default:
      request.log.error({ err: error }, 'router error');
      void sendError(request, reply, 500, 'internal_error');
  }
}
