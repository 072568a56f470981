import type { AuditService } from './audit.service.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/request.js';
import { errorResponse } from '../../platform/http/error-response.js';
import { auditSchemas } from './audit.schema.js';
import { whoOf } from './audit.service.js';

const utc = (instant: string | undefined) =>
  instant === undefined ? undefined : new Date(instant).toISOString();

export function auditRoutes(services: { audit: AuditService }): FastifyPluginAsyncZod {
  const s = auditSchemas();
  const { audit } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/audit', {
      config: { policy: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first (admins only)',
        querystring: s.listQuery,
        response: { 200: s.page, 400: errorResponse, 401: errorResponse, 403: errorResponse },
      },
      handler: async (request) => {
        const q = request.query;
        const actor = actorOf(request);
        const page = await audit.list(
          {
            objectType: q.object_type,
            objectId: q.object_id,
            actorUserId: q.actor_user_id,
            action: q.action,
            from: utc(q.from),
            to: utc(q.to),
          },
          q.limit,
          q.cursor,
          actor,
        );
        // Reading the trail is itself on the trail: who looked, with which filter.
        await audit.record(whoOf(actor), {
          action: 'audit.read',
          objectType: 'audit',
          details: { filter: q, returned: page.items.length },
        });
        return page;
      },
    });
  };
}
