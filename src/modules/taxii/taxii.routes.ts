import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import type { Policy } from '../../platform/http/gate.js';
import { AppError } from '../../platform/errors.js';
import type { ErrorCode } from '../../platform/errors.js';
import { sendError } from '../../platform/http/error-handler.js';
import { languageOf } from '../../platform/http/messages.js';
import type { TaxiiService } from './taxii.service.js';
import type { Page } from './taxii.service.js';
import { negotiate, renderTaxiiError, requireTaxiiBody } from './taxii.http.js';
import * as s from './taxii.schema.js';

export interface TaxiiRouteDeps {
  taxii: TaxiiService;
  /** The most a POST may carry: the API root's max_content_length (§4.2.1); larger is 413. */
  maxContentLength: number;
}

/** Every refusal TAXII names (§3.6), all as the error resource. */
const ERRORS = Object.fromEntries(
  [400, 401, 403, 404, 406, 413, 415, 422, 429, 500, 503].map((status) => [status, s.errorResource]),
);

const lang = (request: FastifyRequest) => languageOf(request.headers['accept-language']);

/** The X-TAXII-Date-Added-First / -Last headers of a page (§5.3, §5.4, §5.6, §5.8). */
function paged<T>(reply: FastifyReply, page: Page<T>): T {
  if (page.first) reply.header('x-taxii-date-added-first', page.first);
  if (page.last) reply.header('x-taxii-date-added-last', page.last);
  return page.body;
}

/**
 * An answer already serialised (an envelope joined from the objects' stored JSON texts): Fastify
 * sends a string of a JSON media type as it is, without the route's serialiser; the route's schema
 * still documents the shape.
 */
function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.send(text);
}

const STATUS_OF: Record<string, [number, ErrorCode]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json'],
};

/**
 * The TAXII 2.1 server at /taxii2/ (§4, §5): an encapsulated context with its own body parser,
 * error handler and not-found answer, so every answer under it, the gate's refusals included, is
 * TAXII's (media type, error resource). Authentication is the gate's: Bearer, or Basic (§1.6.9
 * leaves the scheme to the server; Basic is what TAXII clients commonly speak).
 */
export function taxiiRoutes(deps: TaxiiRouteDeps) {
  const { taxii } = deps;
  return (root: FastifyInstance, _options: object, done: (error?: Error) => void) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.addContentTypeParser(
      'application/taxii+json',
      { parseAs: 'string', bodyLimit: deps.maxContentLength },
      (_request, body, done) => {
        try {
          done(null, JSON.parse(String(body)));
        } catch {
          done(new AppError('malformed_json', 'the body is not JSON'), undefined);
        }
      },
    );
    // Fastify rewrites a JSON media type with a charset and quotes; TAXII clients expect the media
    // type exactly as the specification writes it.
    app.addHook('onSend', (_request, reply, payload, done) => {
      const type = reply.getHeader('content-type');
      if (typeof type === 'string' && type.startsWith('application/stix+json'))
        reply.header('content-type', s.STIX_MEDIA_TYPE);
      else if (typeof type === 'string' && type.startsWith('application/taxii+json'))
        reply.header('content-type', s.TAXII_MEDIA_TYPE);
      done(null, payload);
    });
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError)
        return sendError(request, reply, error.status, error.code, error.details, error.message);
      if (hasZodFastifySchemaValidationErrors(error)) {
        const fields = error.validation.map((v) => ({
          field: v.instancePath || v.schemaPath,
          message: v.message,
        }));
        return sendError(request, reply, 400, 'validation_failed', { fields }, 'the request is not valid');
      }
      const known = error.code ? STATUS_OF[error.code] : undefined;
      if (known) return sendError(request, reply, known[0], known[1]);
      if (error instanceof SyntaxError) return sendError(request, reply, 400, 'malformed_json');
      request.log.error({ err: error }, 'unhandled error');
      return sendError(request, reply, 500, 'internal_error');
    });
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send(
        renderTaxiiError(reply, {
          status: 404,
          code: 'route_not_found',
          message: 'no such TAXII endpoint',
          requestId: request.id,
        }),
      ),
    );
    // Hidden from kyoyu's OpenAPI document: TAXII is specified by OASIS (its own resources and error
    // resource, not kyoyu's one error shape); the route matrix still walks every route.
    const config = (policy: Policy) => ({ policy, basicAuth: true, renderError: renderTaxiiError });
    const read = config('taxii:read');
    const write = config('taxii:write');
    const reply200 = <T extends z.ZodType>(schema: T) => ({ 200: schema, ...ERRORS });

    app.get(
      '/',
      { config: read, schema: { hide: true, response: reply200(s.discoveryResource) } },
      (request, reply) => {
        negotiate(request, reply);
        return {
          title: 'kyoyu TAXII 2.1',
          description: 'Critical-infrastructure cyber incident information sharing',
          default: `${request.protocol}://${request.host}/taxii2/api/`,
          api_roots: [`${request.protocol}://${request.host}/taxii2/api/`],
        };
      },
    );
    app.get(
      '/api/',
      { config: read, schema: { hide: true, response: reply200(s.apiRootResource) } },
      (request, reply) => {
        negotiate(request, reply);
        return {
          title: 'kyoyu',
          description: 'Advisories, incidents and intelligence, one collection per audience',
          versions: [s.TAXII_MEDIA_TYPE],
          max_content_length: deps.maxContentLength,
        };
      },
    );
    app.get(
      '/api/collections/',
      { config: read, schema: { hide: true, response: reply200(s.collectionsResource) } },
      (request, reply) => {
        negotiate(request, reply);
        return taxii.collections(actorOf(request), lang(request));
      },
    );
    const one = { params: s.collectionParams, hide: true };
    app.get(
      '/api/collections/:collection/',
      { config: read, schema: { ...one, response: reply200(s.collectionResource) } },
      (request, reply) => {
        negotiate(request, reply);
        return taxii.collection(actorOf(request), request.params.collection, lang(request));
      },
    );
    const listing = { ...one, querystring: s.objectsQuery };
    app.get(
      '/api/collections/:collection/objects/',
      { config: read, schema: { ...listing, response: reply200(s.envelope) } },
      async (request, reply) => {
        negotiate(request, reply, true);
        const page = await taxii.objects(actorOf(request), request.params.collection, request.query);
        return sendJsonText(reply, paged(reply, page));
      },
    );
    app.post(
      '/api/collections/:collection/objects/',
      {
        config: write,
        bodyLimit: deps.maxContentLength,
        schema: { ...one, body: z.unknown(), response: { 202: s.statusResource, ...ERRORS } },
      },
      async (request, reply) => {
        negotiate(request, reply);
        requireTaxiiBody(request);
        return reply
          .status(202)
          .send(await taxii.add(actorOf(request), request.params.collection, request.body));
      },
    );
    const object = { params: s.objectParams, querystring: s.objectsQuery, hide: true };
    app.get(
      '/api/collections/:collection/objects/:object/',
      { config: read, schema: { ...object, response: reply200(s.envelope) } },
      async (request, reply) => {
        negotiate(request, reply, true);
        const { collection, object: id } = request.params;
        return sendJsonText(
          reply,
          paged(reply, await taxii.objects(actorOf(request), collection, request.query, id)),
        );
      },
    );
    app.delete(
      '/api/collections/:collection/objects/:object/',
      { config: write, schema: { ...object, response: { 200: z.null(), ...ERRORS } } },
      async (request, reply) => {
        negotiate(request, reply);
        await taxii.delete(actorOf(request), request.params.collection, request.params.object, request.query);
        return reply.status(200).send(null);
      },
    );
    app.get(
      '/api/collections/:collection/objects/:object/versions/',
      { config: read, schema: { ...object, response: reply200(s.versionsResource) } },
      async (request, reply) => {
        negotiate(request, reply);
        const { collection, object: id } = request.params;
        return paged(reply, await taxii.versions(actorOf(request), collection, id, request.query));
      },
    );
    app.get(
      '/api/collections/:collection/manifest/',
      { config: read, schema: { ...listing, response: reply200(s.manifestResource) } },
      async (request, reply) => {
        negotiate(request, reply);
        return paged(reply, await taxii.manifest(actorOf(request), request.params.collection, request.query));
      },
    );
    app.get(
      '/api/status/:status/',
      {
        config: read,
        schema: { params: s.statusParams, hide: true, response: reply200(s.statusResource) },
      },
      (request, reply) => {
        negotiate(request, reply);
        return taxii.status(actorOf(request), request.params.status);
      },
    );
    done();
  };
}
