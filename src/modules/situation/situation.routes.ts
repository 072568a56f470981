import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import { errorResponse, recordId, recordRefusals } from '../../platform/http/error-response.js';
import { expectedRevision, sendWithRevision } from '../../platform/http/if-match.js';
import type { SituationService } from './situation.service.js';
import {
  candidatesQuery,
  feedBody,
  feedSchema,
  pullResultSchema,
  situationItemBody,
  situationItemSchema,
  situationListQuery,
} from './situation.schema.js';

const params = z.object({ id: recordId });
const refusals = recordRefusals;
const tags = ['publication'];

/** Part 1 of the quarterly document: its items, their candidates from feeds and advisories. */
export function situationRoutes(services: { situation: SituationService }): FastifyPluginAsyncZod {
  const { situation } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/situation/items', {
      config: { policy: 'situation:read' },
      schema: {
        tags,
        summary: 'The situational items of a fiscal quarter (candidates, accepted, dismissed)',
        querystring: situationListQuery,
        response: { 200: z.array(situationItemSchema), ...refusals },
      },
      handler: (request) => situation.list(actorOf(request), request.query),
    });
    app.post('/situation/items', {
      config: { policy: 'situation:write' },
      schema: {
        tags,
        summary: 'Write a situational item with its sources',
        body: situationItemBody,
        response: { 201: situationItemSchema, ...refusals },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await situation.create(actorOf(request), request.body)),
    });
    app.get('/situation/items/:id', {
      config: { policy: 'situation:read' },
      schema: {
        tags,
        summary: 'One situational item',
        params,
        response: { 200: situationItemSchema, ...refusals },
      },
      handler: async (request, reply) => {
        const item = await situation.get(actorOf(request), request.params.id);
        return sendWithRevision(reply, item);
      },
    });
    app.put('/situation/items/:id', {
      config: { policy: 'situation:write' },
      schema: {
        tags,
        summary: 'Edit an item, accept or dismiss a candidate (If-Match: its ETag)',
        params,
        body: situationItemBody,
        response: { 200: situationItemSchema, ...refusals, 412: errorResponse },
      },
      handler: async (request, reply) => {
        const item = await situation.update(
          actorOf(request),
          request.params.id,
          request.body,
          expectedRevision(request.headers['if-match']),
        );
        return sendWithRevision(reply, item);
      },
    });
    app.get('/situation/feeds', {
      config: { policy: 'situation:read' },
      schema: {
        tags,
        summary: 'The RSS and Atom feeds candidates come from',
        response: { 200: z.array(feedSchema), ...refusals },
      },
      handler: (request) => situation.listFeeds(actorOf(request)),
    });
    app.post('/situation/feeds', {
      config: { policy: 'situation:write' },
      schema: {
        tags,
        summary: 'Register a feed',
        body: feedBody,
        response: { 201: feedSchema, ...refusals },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await situation.addFeed(actorOf(request), request.body)),
    });
    app.post('/situation/feeds/:id/pull', {
      config: { policy: 'situation:write' },
      schema: {
        tags,
        summary: 'Pull a feed now: its new entries become candidates',
        params,
        response: { 200: pullResultSchema, ...refusals, 422: errorResponse },
      },
      handler: (request) => situation.pullFeed(actorOf(request), request.params.id),
    });
    app.post('/situation/candidates/advisories', {
      config: { policy: 'situation:write' },
      schema: {
        tags,
        summary: 'The quarter’s TLP:CLEAR advisories of the center as candidates',
        querystring: candidatesQuery,
        response: { 200: pullResultSchema, ...refusals },
      },
      handler: (request) =>
        situation.fromAdvisories(actorOf(request), request.query.fy, request.query.quarter as 1 | 2 | 3 | 4),
    });
  };
}
