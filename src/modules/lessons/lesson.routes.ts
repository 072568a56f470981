import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import type { Quarter } from '../../domain/fiscal-calendar.js';
import { errorResponse, recordId, recordRefusals } from '../../platform/http/error-response.js';
import { expectedRevision, sendWithRevision } from '../../platform/http/if-match.js';
import type { LessonService } from './lesson.service.js';
import {
  candidatesSchema,
  lessonActionBody,
  lessonBody,
  lessonListQuery,
  lessonSchema,
} from './lesson.schema.js';

const params = z.object({ id: recordId });
const refusals = recordRefusals;
const tags = ['publication'];

/** Part 3 of the quarterly document: lessons learned, their workflow and their candidates. */
export function lessonRoutes(services: { lessons: LessonService }): FastifyPluginAsyncZod {
  const { lessons } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/lessons', {
      config: { policy: 'lessons:read' },
      schema: {
        tags,
        summary: 'The lessons of a fiscal quarter, each with what the anonymity check finds',
        querystring: lessonListQuery,
        response: { 200: z.array(lessonSchema), ...refusals },
      },
      handler: (request) => lessons.list(actorOf(request), request.query.fy, request.query.quarter),
    });
    app.get('/lessons/candidates', {
      config: { policy: 'lessons:read' },
      schema: {
        tags,
        summary: 'The quarter’s operator reports by cause and attack type, the largest groups first',
        querystring: lessonListQuery,
        response: { 200: candidatesSchema, ...refusals },
      },
      handler: (request) =>
        lessons.candidates(actorOf(request), request.query.fy, request.query.quarter as Quarter),
    });
    app.post('/lessons', {
      config: { policy: 'lessons:write' },
      schema: {
        tags,
        summary: 'Write a lesson (a draft)',
        body: lessonBody,
        response: { 201: lessonSchema, ...refusals },
      },
      handler: async (request, reply) =>
        reply.code(201).send(await lessons.create(actorOf(request), request.body)),
    });
    app.get('/lessons/:id', {
      config: { policy: 'lessons:read' },
      schema: { tags, summary: 'One lesson', params, response: { 200: lessonSchema, ...refusals } },
      handler: async (request, reply) => {
        const lesson = await lessons.get(actorOf(request), request.params.id);
        return sendWithRevision(reply, lesson);
      },
    });
    app.put('/lessons/:id', {
      config: { policy: 'lessons:write' },
      schema: {
        tags,
        summary: 'Edit a draft (If-Match: its ETag)',
        params,
        body: lessonBody,
        response: { 200: lessonSchema, ...refusals, 412: errorResponse },
      },
      handler: async (request, reply) => {
        const lesson = await lessons.update(
          actorOf(request),
          request.params.id,
          request.body,
          expectedRevision(request.headers['if-match']),
        );
        return sendWithRevision(reply, lesson);
      },
    });
    app.post('/lessons/:id/transitions', {
      config: { policy: 'lessons:write' },
      schema: {
        tags,
        summary: 'submit, approve (another analyst; nothing found by the anonymity check), return, publish',
        params,
        body: lessonActionBody,
        response: { 200: lessonSchema, ...refusals, 412: errorResponse, 422: errorResponse },
      },
      handler: async (request, reply) => {
        const lesson = await lessons.act(
          actorOf(request),
          request.params.id,
          request.body.action,
          expectedRevision(request.headers['if-match']),
        );
        return sendWithRevision(reply, lesson);
      },
    });
  };
}
