import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import { errorResponse, recordId, recordRefusals } from '../../platform/http/error-response.js';
import type { IncidentTimeline } from './incident.timeline.js';
import { timelineSchema, timesBody } from './incident.timeline.js';

const params = z.object({ id: recordId });

/** An incident's timeline: read by whoever sees the incident, given by its reporter or the center. */
export function timelineRoutes(services: { incidentTimeline: IncidentTimeline }): FastifyPluginAsyncZod {
  const { incidentTimeline } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/incidents/:id/times', {
      config: { policy: 'incidents:read' },
      schema: {
        tags: ['incidents'],
        summary: 'The incident’s times: occurred and aware (from its reports), and those given on their own',
        params,
        response: { 200: timelineSchema, ...recordRefusals },
      },
      handler: (request) => incidentTimeline.get(actorOf(request), request.params.id),
    });
    app.put('/incidents/:id/times', {
      config: { policy: 'incidents:write' },
      schema: {
        tags: ['incidents'],
        summary:
          'Give or clear times: management informed, headquarters set up, service restored, classified as major, ransom paid (kept in order)',
        params,
        body: timesBody,
        response: { 200: timelineSchema, ...recordRefusals, 400: errorResponse },
      },
      handler: (request) => incidentTimeline.set(actorOf(request), request.params.id, request.body),
    });
  };
}
