import type { FastifyInstance, RouteOptions } from 'fastify';
import { errorResponse } from './error-response.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The refusals the platform answers on a route whatever the route does: bad input (validation,
 * malformed or too deep JSON), the gate's 401 and 403 (and a cross-site write's 403 even on a
 * public route), a body too large or of another media type, the rate limit, an outage (the
 * database unreachable) and an unexpected error.
 */
function platformStatuses(route: RouteOptions): number[] {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const writes = methods.some((m) => !SAFE_METHODS.has(m));
  const gated = route.config?.policy !== 'public';
  const input = writes || route.schema?.querystring !== undefined || route.schema?.params !== undefined;
  return [
    ...(input ? [400] : []),
    ...(gated ? [401, 403] : writes ? [403] : []),
    ...(writes ? [413, 415] : []),
    429,
    500,
    503,
  ];
}

/**
 * Every route that declares its answers declares its own outcomes (its 2xx and the refusals of
 * its service); the platform's refusals join them here, once, through the one error schema: so
 * the OpenAPI document lists every status a route sends, and each is serialised (validated)
 * through a schema rather than passed through unchecked. A route's own declaration wins.
 */
export function installPlatformErrorResponses(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (!response || route.schema?.hide) return;
    const added = platformStatuses(route).filter((status) => !(status in response));
    route.schema = {
      ...route.schema,
      response: { ...Object.fromEntries(added.map((status) => [status, errorResponse])), ...response },
    };
  });
}
