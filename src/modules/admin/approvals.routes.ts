import type { AdminService } from './admin.service.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import { approval, approvalAnswer, approvedAnswer, errors, userParams as params } from './admin.schema.js';

const config = { policy: 'admin:users' as const };
const tags = ['admin'];

/**
 * The two-person rule's requests: any admin lists them; a second admin (never the requester)
 * approves one, and then it takes effect; any admin, the requester too, may reject one.
 */
export function approvalRoutes(services: { admin: AdminService }): FastifyPluginAsyncZod {
  const approvals = services.admin.approvals;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/admin/approvals', {
      config,
      schema: {
        tags,
        summary: 'Requests under the two-person rule, newest first (pending, approved, rejected, expired)',
        response: { 200: z.array(approval), ...errors },
      },
      handler: () => approvals.list(),
    });

    app.post('/admin/approvals/:id/approve', {
      config,
      schema: {
        tags,
        summary:
          "Approve another admin's request: it takes effect now. A reset password is shown here, once, to the approver",
        params,
        response: {
          200: approvedAnswer,
          ...errors,
        },
      },
      handler: (request) => approvals.approve(actorOf(request), request.params.id),
    });

    app.post('/admin/approvals/:id/reject', {
      config,
      schema: {
        tags,
        summary: 'Reject a request (the requester may withdraw their own)',
        params,
        response: { 200: approvalAnswer, ...errors },
      },
      handler: async (request) => ({
        approval: await approvals.reject(actorOf(request), request.params.id),
      }),
    });
  };
}
