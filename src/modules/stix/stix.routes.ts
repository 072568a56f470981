import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import { errorResponse, recordId } from '../../platform/http/error-response.js';
import type { StixService } from './stix.service.js';
import {
  importBundleBody,
  importResultSchema,
  intelItemSchema,
  intelPageSchema,
  intelQuery,
  stixBundleSchema,
  triageBody,
} from './stix.schema.js';

const params = z.object({ id: recordId });
const refusals = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

/** STIX 2.1: an incident as a bundle; incoming intelligence (bundles in, the center's triage). */
export function stixRoutes(services: { stix: StixService }): FastifyPluginAsyncZod {
  const { stix } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/incidents/:id/stix', {
      config: { policy: 'incidents:read' },
      schema: {
        tags: ['stix'],
        summary:
          'The incident as a STIX 2.1 bundle (anonymised unless you are the center or its organisation)',
        params,
        response: { 200: stixBundleSchema, ...refusals },
      },
      handler: (request) => stix.incidentBundle(actorOf(request), request.params.id),
    });
    app.post('/intel/bundles', {
      config: { policy: 'intel:write' },
      schema: {
        tags: ['stix'],
        summary: 'Store a STIX 2.1 bundle as incoming intelligence (invalid objects refused one by one)',
        body: importBundleBody,
        response: { 200: importResultSchema, ...refusals },
      },
      handler: (request) => stix.importBundle(actorOf(request), request.body),
    });
    app.get('/intel', {
      config: { policy: 'intel:read' },
      schema: {
        tags: ['stix'],
        summary: 'Incoming intelligence, oldest first, by triage state and STIX type',
        querystring: intelQuery,
        response: { 200: intelPageSchema, ...refusals },
      },
      handler: (request) => stix.list(actorOf(request), request.query),
    });
    app.put('/intel/:id', {
      config: { policy: 'intel:write' },
      schema: {
        tags: ['stix'],
        summary: 'Triage an incoming object: accepted, dismissed (or back to new)',
        params,
        body: triageBody,
        response: { 200: intelItemSchema, ...refusals },
      },
      handler: (request) => stix.triage(actorOf(request), request.params.id, request.body.triage_state),
    });
  };
}
