import type { Taxonomy } from '../../domain/taxonomy.js';
import type { IncidentLifecycle } from './incident.lifecycle.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/request.js';
import { errorResponse } from '../../platform/http/error-response.js';
import type { LifecycleAction, REJECT_REASONS } from '../../domain/lifecycle.js';
import { incidentSchemas } from './incident.schema.js';
import { LIFECYCLE_BODIES } from './lifecycle.schema.js';
import { expectedVersion } from './incident.routes.js';

const SUMMARIES: Record<LifecycleAction, string> = {
  reject: 'Reject the incident (duplicate, test, not critical infrastructure, other): it counts nowhere',
  withdraw: "Withdraw the incident at the reporter's request: it counts nowhere",
  restore: 'Restore a rejected or withdrawn incident: it counts again',
  reopen: 'Reopen an incident closed by its final report, for one more cycle of reports',
};

/** POST /incidents/{id}/{reject,withdraw,restore,reopen}: the center's decisions, with If-Match. */
export function lifecycleRoutes(services: {
  lifecycle: IncidentLifecycle;
  taxonomy: Taxonomy;
}): FastifyPluginAsyncZod {
  const s = incidentSchemas(services.taxonomy);
  const { lifecycle } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    for (const action of Object.keys(LIFECYCLE_BODIES) as LifecycleAction[]) {
      app.post(`/incidents/:id/${action}`, {
        config: { policy: 'incidents:lifecycle' },
        schema: {
          tags: ['incidents'],
          summary: SUMMARIES[action],
          params: s.idParams,
          body: LIFECYCLE_BODIES[action],
          response: {
            200: s.written,
            400: errorResponse,
            401: errorResponse,
            403: errorResponse,
            404: errorResponse,
            409: errorResponse,
            412: errorResponse,
          },
        },
        handler: async (request, reply) => {
          const body = request.body as { reason?: (typeof REJECT_REASONS)[number]; note?: string };
          const incident = await lifecycle.apply(
            actorOf(request),
            request.params.id,
            action,
            body,
            expectedVersion(request.headers['if-match']),
          );
          return reply.header('etag', `"v${incident.version}"`).send(incident);
        },
      });
    }
  };
}
