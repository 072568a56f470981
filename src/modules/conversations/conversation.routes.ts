import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import { errorResponse, recordId } from '../../platform/http/error-response.js';
import type { ConversationService } from './conversation.service.js';
import {
  conversationQuery,
  conversationSchema,
  messageSchema,
  postMessageBody,
  readMarkerBody,
  readMarkerSchema,
  unreadTotalSchema,
} from './conversation.schema.js';

const params = z.object({ id: recordId });
const refusals = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

/** An incident's conversation: its messages, a new message, the caller's read marker, the unread total. */
export function conversationRoutes(services: { conversations: ConversationService }): FastifyPluginAsyncZod {
  const { conversations } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/incidents/:id/messages', {
      config: { policy: 'incidents:read' },
      schema: {
        tags: ['conversations'],
        summary: "The incident's conversation (the reporter, the center, the sector desk), oldest first",
        params,
        querystring: conversationQuery,
        response: { 200: conversationSchema, ...refusals },
      },
      handler: (request) => conversations.read(actorOf(request), request.params.id, request.query),
    });
    app.post('/incidents/:id/messages', {
      config: { policy: 'conversations:write' },
      schema: {
        tags: ['conversations'],
        summary: 'Write in the incident’s conversation; the other side is notified',
        params,
        body: postMessageBody,
        response: { 201: messageSchema, ...refusals },
      },
      handler: async (request, reply) =>
        reply
          .code(201)
          .send(await conversations.post(actorOf(request), request.params.id, request.body.body)),
    });
    app.put('/incidents/:id/messages/read', {
      config: { policy: 'conversations:write' },
      schema: {
        tags: ['conversations'],
        summary: 'Move your read marker in the conversation (forward only)',
        params,
        body: readMarkerBody,
        response: { 200: readMarkerSchema, ...refusals },
      },
      handler: (request) =>
        conversations.markRead(actorOf(request), request.params.id, request.body.last_read_id),
    });
    app.get('/messages/unread', {
      config: { policy: 'incidents:read' },
      schema: {
        tags: ['conversations'],
        summary: 'Your unread messages: in all, and per incident',
        response: { 200: unreadTotalSchema, 401: errorResponse, 403: errorResponse },
      },
      handler: (request) => conversations.unreadTotal(actorOf(request)),
    });
  };
}
