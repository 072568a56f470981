import type { PeriodService } from './period.service.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/request.js';
import { errorResponse } from '../../platform/http/error-response.js';
import { whoOf } from '../audit/index.js';
import {
  lateFilingsSchema,
  periodListQuery,
  periodListSchema,
  periodParams,
  periodSchema,
} from './period.schema.js';

const quarterOf = (q: number) => q as 1 | 2 | 3 | 4;

const refusals = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 409: errorResponse };

/** Closing fiscal quarters: the center's (center_analyst) alone. */
export function periodRoutes(services: { periods: PeriodService }): FastifyPluginAsyncZod {
  const { periods } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/periods', {
      config: { policy: 'periods:read' },
      schema: {
        tags: ['periods'],
        summary: 'Closed fiscal quarters with their late filings; with fy, the four quarters of that year',
        querystring: periodListQuery,
        response: { 200: periodListSchema, ...refusals },
      },
      handler: async (request) => ({ items: await periods.list(request.query.fy) }),
    });

    app.post('/periods/:fy/:quarter/close', {
      config: { policy: 'periods:manage' },
      schema: {
        tags: ['periods'],
        summary: 'Close an ended quarter: its statistics are read from a snapshot taken now',
        params: periodParams,
        response: { 200: periodSchema, ...refusals },
      },
      handler: (request) =>
        periods.close(whoOf(actorOf(request)), request.params.fy, quarterOf(request.params.quarter)),
    });

    app.post('/periods/:fy/:quarter/reopen', {
      config: { policy: 'periods:manage' },
      schema: {
        tags: ['periods'],
        summary: 'Reopen a closed quarter: its snapshot is dropped and the live figures count again',
        params: periodParams,
        response: { 200: periodSchema, ...refusals },
      },
      handler: (request) =>
        periods.reopen(whoOf(actorOf(request)), request.params.fy, quarterOf(request.params.quarter)),
    });

    app.get('/periods/:fy/:quarter/late-filings', {
      config: { policy: 'periods:read' },
      schema: {
        tags: ['periods'],
        summary: 'Records counted in a closed quarter that arrived or changed after its closing',
        params: periodParams,
        response: {
          200: lateFilingsSchema,
          ...refusals,
        },
      },
      handler: (request) => periods.lateFilings(request.params.fy, quarterOf(request.params.quarter)),
    });
  };
}
