import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { authGatekeeper } from './modules/auth/auth.gate.js';
import { installGate } from './platform/http/gate.js';
import { installErrorHandling } from './platform/http/error-handler.js';
import { installPlatformErrorResponses } from './platform/http/platform-errors.js';
import { answerFrameworkError } from './platform/http/framework-errors.js';
import { installIdempotency, withIdempotencyParameter } from './platform/idempotency/idempotency.hook.js';
import { adminRoutes } from './modules/admin/admin.routes.js';
import { approvalRoutes } from './modules/admin/approvals.routes.js';
import { ownTokenRoutes } from './modules/auth/own-tokens.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { incidentRoutes } from './modules/incidents/incident.routes.js';
import { lifecycleRoutes } from './modules/incidents/lifecycle.routes.js';
import { timelineRoutes } from './modules/incidents/timeline.routes.js';
import { savedFilterRoutes } from './modules/incidents/saved-filter.routes.js';
import { periodRoutes } from './modules/periods/period.routes.js';
import { statsRoutes } from './modules/stats/stats.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { conversationRoutes } from './modules/conversations/conversation.routes.js';
import { indicatorRoutes } from './modules/indicators/indicator.routes.js';
import { advisoryRoutes } from './modules/advisories/index.js';
import { notificationRoutes } from './modules/notifications/notification.routes.js';
import { stixRoutes } from './modules/stix/stix.routes.js';
import { situationRoutes } from './modules/situation/index.js';
import { lessonRoutes } from './modules/lessons/index.js';
import { obligationRoutes, organizationFlagRoutes } from './modules/obligations/index.js';
import { regimeRoutes } from './modules/regimes/index.js';
import { publicationRoutes } from './modules/publication/index.js';
import { taxiiRoutes } from './modules/taxii/index.js';
import type { Config } from './config.js';
import type { Services } from './services.js';
import { AppError } from './platform/errors.js';
import { depthExceeds, MAX_JSON_DEPTH, setSecurityHeaders } from './platform/http/security.js';
import { installWebUi } from './platform/http/web-ui.js';

export interface RegisteredRoute {
  method: string;
  url: string;
  policy: string | undefined;
  /** The declared answers by status: a zod schema, or `{ content: { [media type]: { schema } } }`. */
  response: Record<string, unknown> | undefined;
  /** Left out of the OpenAPI document (the document itself, the docs UI, the web UI). */
  hidden: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
  }
}

export interface AppOptions {
  logger?: boolean | { level: string };
}

/**
 * A hop count as proxy-addr's trust function (the address `i` hops from the socket is a proxy of
 * ours when i < hops: what Fastify does for a number, which its types do not accept).
 */
function fastifyTrustProxy(
  setting: Config['trustProxy'],
): false | string[] | ((a: string, i: number) => boolean) {
  if (setting === false) return false;
  if (typeof setting === 'number') return (_address, i) => i < setting;
  return [...setting];
}

/** Builds the HTTP app (no listen): plugins, one auth gate, one error shape, the modules' routes. */
export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: services.config.bodyLimitBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Behind TLS-terminating proxies the client's address and scheme come from X-Forwarded-*, as
    // written by the trusted hops only (a hop count or their addresses, never every hop).
    trustProxy: fastifyTrustProxy(services.config.trustProxy),
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: answerFrameworkError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    setSecurityHeaders(request, reply);
  });
  // Deeply nested JSON is refused before any validator walks it (stack and CPU exhaustion).
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body !== undefined && depthExceeds(request.body, MAX_JSON_DEPTH)) {
      done(new AppError('body_too_deep', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
    } else done();
  });
  // The API speaks JSON only; a text body is refused with 415 rather than half-validated.
  app.removeContentTypeParser('text/plain');
  installErrorHandling(app);
  app.decorateRequest('actor', null);
  app.decorateRequest('principal', null);
  installGate(app, authGatekeeper(services));
  installIdempotency(app, services.idempotency);
  installPlatformErrorResponses(app);
  // Every route, the policy and the answers it declares (as the hooks above completed them), for
  // the tests that walk them all.
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const response = route.schema?.response as Record<string, unknown> | undefined;
    const hidden = route.schema?.hide === true;
    for (const method of methods) {
      if (method !== 'HEAD')
        routes.push({ method, url: route.url, policy: route.config?.policy, response, hidden });
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'kyoyu API',
        version: '1',
        description:
          'Critical-infrastructure cyber incident information sharing. Authenticate with `Authorization: Bearer <token>`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'an API token (kyoyu admin create-token)' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'kyoyu_session',
            description: 'a signed-in browser (POST /api/v1/auth/login); writes also need X-CSRF-Token',
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) =>
      withIdempotencyParameter('openapiObject' in document ? document.openapiObject : document.swaggerObject),
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // The UI's assets are static files (no inline script or style); never framed.
    staticCSP:
      "default-src 'self'; base-uri 'self'; font-src 'self' data:; img-src 'self' data:; object-src 'none'; " +
      "script-src 'self'; script-src-attr 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
  });

  await app.register(
    async (api) => {
      api.get('/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, () => app.swagger());
      await api.register(systemRoutes(services));
      await api.register(authRoutes(services));
      await api.register(incidentRoutes(services));
      await api.register(lifecycleRoutes(services));
      await api.register(timelineRoutes(services));
      await api.register(savedFilterRoutes(services));
      await api.register(statsRoutes(services));
      await api.register(periodRoutes(services));
      await api.register(auditRoutes(services));
      await api.register(ownTokenRoutes(services));
      await api.register(adminRoutes(services));
      await api.register(approvalRoutes(services));
      await api.register(conversationRoutes(services));
      await api.register(indicatorRoutes(services));
      await api.register(advisoryRoutes(services));
      await api.register(notificationRoutes(services));
      await api.register(stixRoutes(services));
      await api.register(situationRoutes(services));
      await api.register(lessonRoutes(services));
      await api.register(publicationRoutes(services));
      await api.register(regimeRoutes(services));
      await api.register(obligationRoutes(services));
      await api.register(organizationFlagRoutes(services));
    },
    { prefix: '/api/v1' },
  );

  const maxContentLength = services.config.bodyLimitBytes;
  await app.register(taxiiRoutes({ taxii: services.taxii, maxContentLength }), { prefix: '/taxii2' });
  installWebUi(app, services.config);
  return app;
}
