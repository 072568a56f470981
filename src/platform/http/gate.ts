import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './error-handler.js';
import { RateLimiter } from './rate-limit.js';

/**
 * The policy actions routes may name. Empty here: the access layer lists its actions into it
 * (declaration merging), so a route naming an unknown action does not compile.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PolicyActions {}
export type Policy = [keyof PolicyActions] extends [never] ? string : Extract<keyof PolicyActions, string>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy action a route needs; every route names one ('public' for docs and health). */
    policy?: Policy;
    /**
     * HTTP Basic is accepted too (TAXII 2.1 clients speak it): the user name and, as the password,
     * one of the user's API tokens. A 401 then offers both schemes.
     */
    basicAuth?: boolean;
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

/**
 * What the gate needs from the features: who is calling (the auth module) and whether that caller
 * holds a route's policy action (the access rule). The gate itself knows neither.
 */
export interface Gatekeeper<Caller> {
  rateLimitPerMinute: number;
  /**
   * The caller of a non-public request, or null without credentials. May refuse on its own (a bad
   * token past its limit, a session owing its second factor) by sending the answer: the gate then
   * stops.
   */
  authenticate(
    request: FastifyRequest,
    reply: FastifyReply,
    policy: Policy | undefined,
  ): Promise<Caller | null>;
  /** Key under which a caller's requests are rate limited. */
  limitKeyOf(caller: Caller): string;
  allowed(caller: Caller, policy: Policy): boolean;
}

/**
 * One gate for every request: the route's declared policy decides. A route without a policy is
 * refused (fail closed), except the documentation UI's own asset routes.
 */
export function installGate<Caller>(app: FastifyInstance, keeper: Gatekeeper<Caller>): void {
  const limiter = new RateLimiter(keeper.rateLimitPerMinute);
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
      return limited(request, reply, `ip:${request.ip}`) ? reply : undefined;
    }
    if (unmatched && !path.startsWith('/api/')) return;
    const caller = await keeper.authenticate(request, reply, declared);
    if (reply.sent) return reply;
    if (!caller) {
      const basic = request.routeOptions.config?.basicAuth === true;
      reply.header('www-authenticate', basic ? 'Basic realm="kyoyu", Bearer realm="kyoyu"' : 'Bearer');
      return sendError(request, reply, 401, 'unauthenticated');
    }
    if (limited(request, reply, keeper.limitKeyOf(caller))) return reply;
    if (unmatched) return;
    if (!declared || !keeper.allowed(caller, declared)) return sendError(request, reply, 403, 'forbidden');
  });

  function limited(request: FastifyRequest, reply: FastifyReply, key: string): boolean {
    const wait = limiter.take(key);
    if (wait === 0) return false;
    reply.header('retry-after', String(wait));
    void sendError(request, reply, 429, 'rate_limited', { retry_after_seconds: wait });
    return true;
  }
}

export const isSafeMethod = (method: string): boolean => SAFE_METHODS.has(method);
