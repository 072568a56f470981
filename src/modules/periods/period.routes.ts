import type { PeriodService } from './period.service.js';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/index.js';
import { errorResponse } from '../../platform/http/error-response.js';
import { whoOf } from '../audit/audit.service.js';

const fy = z.coerce.number().int().min(2000).max(9999).describe('fiscal year, e.g. 2023');
const params = z.strictObject({
  fy,
  quarter: z.coerce.number().int().min(1).max(4).describe('fiscal quarter 1-4'),
});
const quarterOf = (q: number) => q as 1 | 2 | 3 | 4;

const period = z.object({
  fiscal_year: z.number(),
  quarter: z.number(),
  state: z.enum(['open', 'closed']),
  ended: z.boolean(),
  closed_at: z.string().nullable(),
  closed_by: z.string().nullable(),
  late_filings: z.number().nullable(),
});
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
        querystring: z.strictObject({ fy: fy.optional() }),
        response: { 200: z.object({ items: z.array(period) }), ...refusals },
      },
      handler: async (request) => ({ items: await periods.list(request.query.fy) }),
    });

    app.post('/periods/:fy/:quarter/close', {
      config: { policy: 'periods:manage' },
      schema: {
        tags: ['periods'],
        summary: 'Close an ended quarter: its statistics are read from a snapshot taken now',
        params,
        response: { 200: period, ...refusals },
      },
      handler: (request) =>
        periods.close(whoOf(actorOf(request)), request.params.fy, quarterOf(request.params.quarter)),
    });

    app.post('/periods/:fy/:quarter/reopen', {
      config: { policy: 'periods:manage' },
      schema: {
        tags: ['periods'],
        summary: 'Reopen a closed quarter: its snapshot is dropped and the live figures count again',
        params,
        response: { 200: period, ...refusals },
      },
      handler: (request) =>
        periods.reopen(whoOf(actorOf(request)), request.params.fy, quarterOf(request.params.quarter)),
    });

    app.get('/periods/:fy/:quarter/late-filings', {
      config: { policy: 'periods:read' },
      schema: {
        tags: ['periods'],
        summary: 'Records counted in a closed quarter that arrived or changed after its closing',
        params,
        response: {
          200: z.object({
            fiscal_year: z.number(),
            quarter: z.number(),
            closed_at: z.string(),
            count: z.number(),
            items: z.array(
              z.object({
                id: z.number(),
                ref: z.string(),
                channel: z.string(),
                sector: z.string().nullable(),
                tlp: z.string(),
                first_received_at: z.string(),
                created_at: z.string(),
                updated_at: z.string(),
              }),
            ),
          }),
          ...refusals,
        },
      },
      handler: (request) => periods.lateFilings(request.params.fy, quarterOf(request.params.quarter)),
    });
  };
}
