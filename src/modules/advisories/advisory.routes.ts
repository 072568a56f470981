import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import { errorResponse, recordId, recordRefusals } from '../../platform/http/error-response.js';
import { expectedRevision, sendWithRevision } from '../../platform/http/if-match.js';
import type { AdvisoryService } from './advisory.service.js';
import {
  advisoryListQuery,
  advisoryListSchema,
  advisoryViewSchema,
  followUpSchema,
  newAdvisoryBody,
  receiptBody,
  receiptSchema,
  recipientChoiceSchema,
  reminderBody,
  reminderSchema,
  reviseAdvisoryBody,
  revisionListSchema,
} from './advisory.schema.js';

const params = z.object({ id: recordId });
const refusals = recordRefusals;

/** Advisories and agency shares: filing, reading, revising, receipts, the center's follow-up. */
export function advisoryRoutes(services: { advisories: AdvisoryService }): FastifyPluginAsyncZod {
  const { advisories } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post('/advisories', {
      // The center files advisories (advisories:write); a sector desk agency shares (shares:agency).
      config: { policy: 'advisories:read' },
      schema: {
        tags: ['advisories'],
        summary: 'File an advisory (the center) or an agency share (a sector desk, to the center)',
        body: newAdvisoryBody,
        response: { 201: advisoryViewSchema, ...refusals },
      },
      handler: async (request, reply) =>
        sendWithRevision(reply.code(201), await advisories.create(actorOf(request), request.body)),
    });
    app.get('/advisories', {
      config: { policy: 'advisories:read' },
      schema: {
        tags: ['advisories'],
        summary: 'The advisories and shares that reach you, newest first',
        querystring: advisoryListQuery,
        response: { 200: advisoryListSchema, ...refusals },
      },
      handler: (request) => advisories.list(actorOf(request), request.query),
    });
    app.get('/advisories/recipients', {
      config: { policy: 'advisories:write' },
      schema: {
        tags: ['advisories'],
        summary: 'The organisations an advisory may be addressed to by name (the center)',
        response: { 200: z.array(recipientChoiceSchema), ...refusals },
      },
      handler: () => advisories.recipients(),
    });
    app.get('/advisories/:id', {
      config: { policy: 'advisories:read' },
      schema: {
        tags: ['advisories'],
        summary: 'One advisory (its current revision), with your organisation’s receipt',
        params,
        response: { 200: advisoryViewSchema, ...refusals },
      },
      handler: async (request, reply) =>
        sendWithRevision(reply, await advisories.get(actorOf(request), request.params.id)),
    });
    app.put('/advisories/:id', {
      config: { policy: 'advisories:read' },
      schema: {
        tags: ['advisories'],
        summary: 'A new revision (If-Match: the current revision’s ETag); new recipients are notified',
        params,
        body: reviseAdvisoryBody,
        response: { 200: advisoryViewSchema, ...refusals, 412: errorResponse },
      },
      handler: async (request, reply) =>
        sendWithRevision(
          reply,
          await advisories.revise(
            actorOf(request),
            request.params.id,
            request.body,
            expectedRevision(request.headers['if-match']),
          ),
        ),
    });
    app.get('/advisories/:id/revisions', {
      config: { policy: 'advisories:read' },
      schema: {
        tags: ['advisories'],
        summary: 'Every revision of the advisory, newest first',
        params,
        response: { 200: revisionListSchema, ...refusals },
      },
      handler: (request) => advisories.revisions(actorOf(request), request.params.id),
    });
    app.put('/advisories/:id/receipt', {
      config: { policy: 'advisories:respond' },
      schema: {
        tags: ['advisories'],
        summary: 'Your organisation’s receipt: read, acknowledged, action status and note',
        params,
        body: receiptBody,
        response: { 200: receiptSchema, ...refusals },
      },
      handler: (request) => advisories.respond(actorOf(request), request.params.id, request.body),
    });
    app.get('/advisories/:id/follow-up', {
      config: { policy: 'advisories:follow_up:read' },
      schema: {
        tags: ['advisories'],
        summary: 'Who of the recipients has read, acknowledged and acted, per sector (the center)',
        params,
        response: { 200: followUpSchema, ...refusals },
      },
      handler: (request) => advisories.followUp(actorOf(request), request.params.id),
    });
    app.post('/advisories/:id/reminders', {
      config: { policy: 'advisories:follow_up' },
      schema: {
        tags: ['advisories'],
        summary: 'Remind the organisations that have not acknowledged (or not acted), in-app and by mail',
        params,
        body: reminderBody,
        response: { 200: reminderSchema, ...refusals },
      },
      handler: (request) => advisories.remind(actorOf(request), request.params.id, request.body.to),
    });
  };
}
