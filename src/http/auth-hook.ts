import type { FastifyInstance } from 'fastify';
import type { AccountService } from '../modules/auth/account.service.js';
import type { Action, Actor } from '../modules/auth/policy.js';
import { isAllowed } from '../modules/auth/policy.js';
import { sendError } from './error-handler.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy action a route needs; every route names one ('public' for docs and health). */
    policy?: Action;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/**
 * One gate for every request: the route's declared policy decides. A route without a policy is
 * refused (fail closed), except the documentation UI's own asset routes.
 */
export function installAuth(app: FastifyInstance, accounts: AccountService): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request, reply) => {
    const declared = request.routeOptions.config?.policy;
    const path = request.url.split('?')[0] ?? '';
    const isDocs = path === '/api/docs' || path.startsWith('/api/docs/');
    const unmatched = request.routeOptions.url === undefined;
    if (declared === 'public' || (declared === undefined && isDocs)) return;
    if (unmatched && !path.startsWith('/api/')) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const actor = match ? await accounts.actorForToken(match[1]!) : null;
    if (!actor) {
      reply.header('www-authenticate', 'Bearer');
      return sendError(request, reply, 401, 'unauthenticated');
    }
    // A copy per request: verified actors are cached and shared between requests.
    request.actor = { ...actor, requestId: request.id, ip: request.ip };
    if (unmatched) return;
    if (!declared || !isAllowed(actor, declared)) return sendError(request, reply, 403, 'forbidden');
  });
}

/** The authenticated caller; routes behind a non-public policy always have one. */
export function actorOf(request: { actor: Actor | null }): Actor {
  if (!request.actor) throw new Error('route reached without an actor: its policy must not be public');
  return request.actor;
}
