import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../errors.js';
import type { AccountService } from '../../modules/auth/account.service.js';
import type { Action, Actor } from '../../access/index.js';
import { isAllowed } from '../../access/index.js';
import type { SessionPrincipal, SessionService } from '../../modules/auth/session.service.js';
import { sendError } from './error-handler.js';
import { RateLimiter } from './rate-limit.js';
import { readCookie, SESSION_COOKIE, clearSessionCookie } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy action a route needs; every route names one ('public' for docs and health). */
    policy?: Action;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** Set when the caller is a signed-in browser (cookie) rather than a token. */
    principal: SessionPrincipal | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether an Origin header (browsers send it on cross-site and on POST requests) is this server. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    // request.host is the Host header, or X-Forwarded-Host behind a trusted proxy; both go through
    // URL so that a default port (localhost:80 on http) compares equal to none.
    return new URL(origin).host === new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return false;
  }
}

export interface AuthDeps {
  accounts: AccountService;
  sessions: SessionService;
  config: Config;
}

/**
 * One gate for every request: the route's declared policy decides. A route without a policy is
 * refused (fail closed), except the documentation UI's own asset routes. Callers authenticate with
 * a bearer token or a session cookie; a cookie-authenticated write must carry the session's CSRF
 * token, and a session that still owes its second factor reaches only the sign-in routes.
 */
export function installAuth(app: FastifyInstance, deps: AuthDeps): void {
  const limiter = new RateLimiter(deps.config.rateLimitPerMinute);
  app.decorateRequest('actor', null);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const declared = request.routeOptions.config?.policy;
    const path = request.url.split('?')[0] ?? '';
    const isDocs = path === '/api/docs' || path.startsWith('/api/docs/');
    const unmatched = request.routeOptions.url === undefined;
    // A cross-site form or script posting here (with the victim's cookie) is refused outright.
    if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) {
      return sendError(request, reply, 403, 'csrf_failed');
    }
    if (declared === 'public' || (declared === undefined && isDocs)) {
      return limit(request, reply, `ip:${request.ip}`);
    }
    if (unmatched && !path.startsWith('/api/')) return;
    const actor = await authenticate(request, reply);
    if (!actor) return reply.sent ? reply : unauthenticated(request, reply);
    request.actor = { ...actor, requestId: request.id, ip: request.ip };
    // The session's actor too: what it does is recorded with this request's id and address.
    if (request.principal) request.principal = { ...request.principal, actor: request.actor };
    const principal = request.principal;
    if (
      principal &&
      principal.mfa !== 'verified' &&
      principal.mfa !== 'not_required' &&
      declared !== 'auth:session'
    ) {
      return sendError(request, reply, 401, 'mfa_required', { mfa: principal.mfa });
    }
    // A temporary password (an admin's reset) reaches the sign-in routes only, where the password
    // change is: whoever handed it over knows it too.
    if (principal?.passwordChangeRequired && declared !== 'auth:session') {
      return sendError(request, reply, 403, 'password_change_required');
    }
    if (principal && !SAFE_METHODS.has(request.method)) {
      const token = request.headers['x-csrf-token'];
      if (!deps.sessions.csrfMatches(principal, typeof token === 'string' ? token : undefined)) {
        return sendError(request, reply, 403, 'csrf_failed');
      }
    }
    if (limited(request, reply, `user:${actor.userId}`)) return reply;
    if (unmatched) return;
    if (!declared || !isAllowed(request.actor, declared)) return sendError(request, reply, 403, 'forbidden');
  });

  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Actor | null> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      // A malformed or unknown token is refused even when a cookie is also present: no fallback.
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const actor = match ? await deps.accounts.actorForToken(match[1]!) : null;
      // Failed look-ups are counted per address (in the database, across processes); past the
      // limit the address gets 429 instead of 401. A valid token never reaches the counter.
      if (!actor) {
        try {
          await deps.sessions.noteBadToken(request.ip);
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'rate_limited') throw error;
          await sendError(request, reply, 429, 'rate_limited', error.details);
        }
      }
      return actor;
    }
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (cookie === undefined) return null;
    const principal = await deps.sessions.principalFor(cookie);
    if (!principal) {
      clearSessionCookie(reply, deps.config, request);
      return null;
    }
    request.principal = principal;
    return principal.actor;
  }

  function limited(request: FastifyRequest, reply: FastifyReply, key: string): boolean {
    const wait = limiter.take(key);
    if (wait === 0) return false;
    reply.header('retry-after', String(wait));
    void sendError(request, reply, 429, 'rate_limited', { retry_after_seconds: wait });
    return true;
  }

  function limit(request: FastifyRequest, reply: FastifyReply, key: string) {
    if (limited(request, reply, key)) return reply;
    return undefined;
  }
}

function unauthenticated(request: FastifyRequest, reply: FastifyReply) {
  reply.header('www-authenticate', 'Bearer');
  return sendError(request, reply, 401, 'unauthenticated');
}

/** The authenticated caller; routes behind a non-public policy always have one. */
export function actorOf(request: { actor: Actor | null }): Actor {
  if (!request.actor) throw new Error('route reached without an actor: its policy must not be public');
  return request.actor;
}

/** The signed-in session; for routes that only make sense in a browser session. */
export function principalOf(request: { principal: SessionPrincipal | null }): SessionPrincipal {
  if (!request.principal) {
    throw new AppError(401, 'unauthenticated', 'this needs a signed-in session (cookie), not an API token');
  }
  return request.principal;
}
