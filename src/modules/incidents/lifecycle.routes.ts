import type { Taxonomy } from '../../domain/taxonomy.js';
import type { IncidentLifecycle } from './incident.lifecycle.js';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/index.js';
import { errorResponse } from '../../platform/http/error-response.js';
import { REJECT_REASONS } from '../../domain/lifecycle.js';
import type { LifecycleAction } from '../../domain/lifecycle.js';
import { text } from '../../domain/report-line.js';
import { incidentSchemas } from './incident.schema.js';
import { expectedVersion } from './incident.routes.js';

const note = text(2000, true).describe('free text kept with the record and in the audit trail');

const BODIES = {
  reject: z
    .strictObject({ reason: z.enum(REJECT_REASONS), note: note.optional() })
    .describe('why the center rejects the report (a note is required with other)'),
  withdraw: z.strictObject({ note }).describe("the reporter's request, recorded as a note"),
  restore: z.strictObject({ note: note.optional() }).describe('back to received: counted again'),
  reopen: z.strictObject({ note: note.optional() }).describe('a closed incident takes reports again'),
} satisfies Record<LifecycleAction, z.ZodType>;

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
    for (const action of Object.keys(BODIES) as LifecycleAction[]) {
      app.post(`/incidents/:id/${action}`, {
        config: { policy: 'incidents:lifecycle' },
        schema: {
          tags: ['incidents'],
          summary: SUMMARIES[action],
          params: s.idParams,
          body: BODIES[action],
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
