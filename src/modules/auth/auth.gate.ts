import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Action, Actor } from '../../access/index.js';
import { isAllowed } from '../../access/index.js';
import { AppError } from '../../platform/errors.js';
import { sendError } from '../../platform/http/error-handler.js';
import type { Gatekeeper } from '../../platform/http/gate.js';
import { isSafeMethod } from '../../platform/http/gate.js';
import { readCookie, SESSION_COOKIE, clearSessionCookie } from '../../platform/http/session-cookie.js';
import type { AccountService } from './account.service.js';
import type { SessionPrincipal, SessionService } from './session.service.js';

declare module '../../platform/http/gate.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface PolicyActions extends Record<Action, true> {}
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the caller is a signed-in browser (cookie) rather than a token. */
    principal: SessionPrincipal | null;
  }
}

export interface AuthDeps {
  accounts: AccountService;
  sessions: SessionService;
  config: Config;
}

/**
 * Who is calling, for the platform's gate: a bearer token or a session cookie. A cookie-authenticated
 * write must carry the session's CSRF token, and a session that still owes its second factor (or a
 * password change) reaches only the sign-in routes.
 */
export function authGatekeeper(deps: AuthDeps): Gatekeeper<Actor> {
  return {
    rateLimitPerMinute: deps.config.rateLimitPerMinute,
    limitKeyOf: (actor) => `user:${actor.userId}`,
    allowed: (actor, policy) => isAllowed(actor, policy),
    async authenticate(request, reply, declared) {
      const actor = await identify(request, reply);
      if (!actor) return null;
      request.actor = { ...actor, requestId: request.id, ip: request.ip };
      // The session's actor too: what it does is recorded with this request's id and address.
      if (request.principal) request.principal = { ...request.principal, actor: request.actor };
      const principal = request.principal;
      if (!principal) return request.actor;
      if (principal.mfa !== 'verified' && principal.mfa !== 'not_required' && declared !== 'auth:session') {
        await sendError(request, reply, 401, 'mfa_required', { mfa: principal.mfa });
        return null;
      }
      // A temporary password (an admin's reset) reaches the sign-in routes only, where the password
      // change is: whoever handed it over knows it too.
      if (principal.passwordChangeRequired && declared !== 'auth:session') {
        await sendError(request, reply, 403, 'password_change_required');
        return null;
      }
      if (!isSafeMethod(request.method)) {
        const token = request.headers['x-csrf-token'];
        if (!deps.sessions.csrfMatches(principal, typeof token === 'string' ? token : undefined)) {
          await sendError(request, reply, 403, 'csrf_failed');
          return null;
        }
      }
      return request.actor;
    },
  };

  function basicActor(header: string): Promise<Actor | null> {
    return basicActorOf(deps.accounts, header);
  }

  async function identify(request: FastifyRequest, reply: FastifyReply): Promise<Actor | null> {
    const header = request.headers.authorization;
    if (header !== undefined) {
      // A malformed or unknown token is refused even when a cookie is also present: no fallback.
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const actor = match
        ? await deps.accounts.actorForToken(match[1]!)
        : request.routeOptions.config?.basicAuth === true
          ? await basicActor(header)
          : null;
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
}

/**
 * HTTP Basic on the routes that accept it: the user's e-mail address as the user name and one of
 * its API tokens as the password. A wrong password answers exactly as an unknown user (and is
 * counted with the other failed look-ups by the caller).
 */
async function basicActorOf(accounts: AccountService, header: string): Promise<Actor | null> {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return null;
  const actor = await accounts.actorForToken(decoded.slice(colon + 1));
  const user = decoded.slice(0, colon).trim().toLowerCase();
  return actor && actor.email.toLowerCase() === user ? actor : null;
}

/** The signed-in session; for routes that only make sense in a browser session. */
export function principalOf(request: { principal: SessionPrincipal | null }): SessionPrincipal {
  if (!request.principal) {
    throw new AppError('unauthenticated', 'this needs a signed-in session (cookie), not an API token');
  }
  return request.principal;
}
