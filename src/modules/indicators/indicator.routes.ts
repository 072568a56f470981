import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import { errorResponse, recordId } from '../../platform/http/error-response.js';
import {
  adoptBodySchema,
  adoptedSchema,
  indicatorListSchema,
  suggestionListSchema,
} from './indicator.schema.js';
import type { IndicatorService } from './indicator.service.js';

const params = z.object({ id: recordId });
const refusals = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

/** An incident's indicators: the list, the ones found in its text, adoption. */
export function indicatorRoutes(services: { indicators: IndicatorService }): FastifyPluginAsyncZod {
  const { indicators } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/incidents/:id/indicators', {
      config: { policy: 'incidents:read' },
      schema: {
        tags: ['indicators'],
        summary: "The incident's indicators you may receive (each has its own TLP marking)",
        params,
        response: { 200: indicatorListSchema, ...refusals },
      },
      handler: (request) => indicators.list(actorOf(request), request.params.id),
    });
    app.get('/incidents/:id/indicators/suggested', {
      config: { policy: 'incidents:read' },
      schema: {
        tags: ['indicators'],
        summary: 'Indicators written in the description and stage reports and not yet stored, with where',
        params,
        response: { 200: suggestionListSchema, ...refusals },
      },
      handler: (request) => indicators.suggested(actorOf(request), request.params.id),
    });
    app.post('/incidents/:id/indicators', {
      config: { policy: 'incidents:write' },
      schema: {
        tags: ['indicators'],
        summary: "Adopt indicators onto the incident (its organisation's users and the center)",
        params,
        body: adoptBodySchema,
        response: { 200: adoptedSchema, ...refusals },
      },
      handler: (request) => indicators.adopt(actorOf(request), request.params.id, request.body),
    });
  };
}
