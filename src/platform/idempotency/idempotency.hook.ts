import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { errorResponse } from '../http/error-response.js';
import type { Claim, IdempotencyService } from './idempotency.service.js';
import { canonicalRequest } from './request-hash.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `false` opts a POST route out of idempotency keys, for one whose answer a replay would make
     * wrong: it depends on more than the request (sign-in state) or must be fresh each time.
     */
    idempotency?: false;
  }
  interface FastifyInstance {
    /** `METHOD url` of every route that honours Idempotency-Key, for the tests that walk them. */
    idempotentRoutes: Set<string>;
  }
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

/** One schema for every POST route: it validates the header and documents it in the OpenAPI. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'visible ASCII characters only')
  .describe(
    'Optional key (1-200 visible ASCII characters: send a random UUID, the stored answer is encrypted under it) ' +
      'that makes retrying this POST safe. ' +
      'Within 24 h, the same key with the same request is answered with the first answer (status and ' +
      'body, header `Idempotent-Replayed: true`) and stores nothing new; with a different request it ' +
      'is refused with 422 `idempotency_key_reused`; while the first request is still executing, ' +
      '409 `idempotency_in_progress` (retry shortly). Keys are per user. Every answer is kept except ' +
      '5xx, after which a retry executes again.',
  );

// Loose: the schema's output replaces request.headers, which must keep every other header.
const headersSchema = z.looseObject({ [IDEMPOTENCY_HEADER]: idempotencyKeySchema.optional() });

const hooksOf = <T>(hooks: T | T[] | undefined): T[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];

function honours(route: RouteOptions): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  // A public route has no user to key by; every route that changes state is behind a policy.
  return methods.includes('POST') && route.config?.policy !== 'public' && route.config?.idempotency !== false;
}

/**
 * Whether an answer can be kept for replay: a text body (the table holds text, not streams), and
 * no cookie set (a replay would lack it). Otherwise the key is released and a retry executes again.
 */
function keepable(reply: FastifyReply, payload: unknown): payload is string {
  return typeof payload === 'string' && reply.getHeader('set-cookie') === undefined;
}

/**
 * Gives every POST route (present and future) Idempotency-Key handling: the header joins the route's
 * schema; a preHandler, after authentication and validation, claims the key or replays its stored
 * answer; an onSend stores the answer before it leaves. Install before any route is registered.
 */
export function installIdempotency(app: FastifyInstance, service: IdempotencyService): void {
  const claims = new WeakMap<FastifyRequest, Claim>();
  const routes = new Set<string>();
  app.decorate('idempotentRoutes', routes);

  const claimKey = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (typeof key !== 'string' || !request.actor) return;
    const canonical = canonicalRequest({
      method: request.method,
      routeUrl: request.routeOptions.url ?? request.url,
      params: request.params,
      query: request.query,
      body: request.body,
    });
    const outcome = await service.claim(request.actor.userId, key, canonical);
    switch (outcome.kind) {
      case 'execute':
        claims.set(request, outcome.claim);
        return;
      case 'replay':
        if (outcome.contentType) reply.type(outcome.contentType);
        return reply.status(outcome.status).header(REPLAYED_HEADER, 'true').send(outcome.body);
      case 'reused':
        throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used for another request');
      case 'in_progress':
        reply.header('retry-after', '1');
        throw new AppError('idempotency_in_progress', 'a request with this Idempotency-Key is in progress');
    }
  };

  const storeAnswer = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = claims.get(request);
    if (!claim) return payload;
    claims.delete(request);
    try {
      if (keepable(reply, payload)) {
        const contentType = reply.getHeader('content-type');
        await service.complete(claim, {
          status: reply.statusCode,
          contentType: contentType === undefined ? null : String(contentType),
          body: payload,
        });
      } else {
        await service.release(claim);
      }
    } catch (error) {
      // The answer is true and the write done; the key stays pending until the timeout (crash window).
      request.log.error({ err: error }, 'could not store the idempotent answer');
    }
    return payload;
  };

  app.addHook('onRoute', (route) => {
    if (!honours(route)) return;
    const schema = route.schema ?? {};
    const existing = schema.headers;
    if (existing !== undefined && !(existing instanceof z.ZodObject))
      throw new Error(`${route.url}: headers schema must be a zod object to carry Idempotency-Key`);
    route.schema = {
      ...schema,
      headers: existing ? existing.extend(headersSchema.shape) : headersSchema,
      // Documented on every such route; a route may describe them its own way.
      response: { 409: errorResponse, 422: errorResponse, ...(schema.response as object | undefined) },
    };
    route.preHandler = [...hooksOf(route.preHandler), claimKey];
    route.onSend = [...hooksOf(route.onSend), storeAnswer];
    routes.add(`POST ${route.url}`);
  });
}

interface OpenApiOperation {
  parameters?: Array<{ in?: string; name?: string; $ref?: string }>;
}
interface OpenApiDocument {
  paths?: Record<string, Record<string, OpenApiOperation>>;
  components?: Record<string, Record<string, unknown> | undefined>;
}

/** Declares the header once (`components.parameters.IdempotencyKey`) and refers to it from each POST. */
export function withIdempotencyParameter<T>(document: T): T {
  const doc = document as OpenApiDocument;
  let declared: unknown;
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      operation.parameters = operation.parameters?.map((parameter) => {
        if (parameter.in !== 'header' || parameter.name !== IDEMPOTENCY_HEADER) return parameter;
        declared ??= { ...parameter, name: 'Idempotency-Key' };
        return { $ref: '#/components/parameters/IdempotencyKey' };
      });
    }
  }
  if (declared) {
    doc.components = {
      ...doc.components,
      parameters: { ...doc.components?.parameters, IdempotencyKey: declared },
    };
  }
  return document;
}
